// Stand-in for the page that @apideck/vault-js iframes from https://vaultjs.apideck.com. It speaks
// vault-js's protocol (vault-js 1.8.1, src/index.ts): it posts "on-ready" to its parent, receives the
// options (`token`, `showConsumer`, `unifiedApi`, ...) as the reply, posts "on-close" when the user
// closes it, and closes when the parent posts `{ type: "close" }`. The session it shows comes from
// `./session`, where the simulator verifies the token; nothing decoded from an unverified token is shown.

const content = document.getElementById("content");
let closed = false;

/** Posts to the embedding app; "*" because, like the real frame, it cannot know the app's origin. */
function tell(message) {
  window.parent.postMessage(message, "*");
}

function close() {
  if (closed) return;
  closed = true;
  document.body.classList.add("closing");
  tell("on-close");
}

// The same colour forms the server-side page accepts: nothing like `url(...)` reaches a CSS variable.
const colorPattern = /^(#[0-9a-f]{3,8}|[a-z]{3,30}|(rgb|rgba|hsl|hsla)\([\d\s.,%/]+\))$/i;

function httpUrl(value) {
  if (typeof value !== "string" || !URL.canParse(value)) return undefined;
  const { protocol } = new URL(value);
  return protocol === "https:" || protocol === "http:" ? value : undefined;
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function definitions(rows) {
  const list = element("dl");
  for (const [term, value, testId] of rows) {
    list.append(element("dt", term), element("dd", value, testId ? { "data-testid": testId } : {}));
  }
  return list;
}

function render(claims, options) {
  const theme = claims.theme ?? {};
  const settings = claims.settings ?? {};
  const consumer = claims.consumer_metadata ?? {};
  if (colorPattern.test(theme.primary_color ?? "")) {
    document.documentElement.style.setProperty("--primary", theme.primary_color);
  }
  const vaultName = typeof theme.vault_name === "string" ? theme.vault_name : "Apideck";
  document.getElementById("title").textContent = `${vaultName} Vault`;
  const logo = httpUrl(theme.logo);
  if (logo) {
    const image = document.getElementById("logo");
    image.src = logo;
    image.hidden = false;
  }
  if (options.showAttribution === false) document.getElementById("attribution").hidden = true;

  const apis = Array.isArray(settings.unified_apis) ? settings.unified_apis.map(String) : [];
  const shown = options.unifiedApi ? apis.filter((api) => api === options.unifiedApi) : apis;
  const list = element("ul", undefined, { class: "apis", "data-testid": "modal-apis" });
  for (const api of shown.length > 0 ? shown : [options.unifiedApi ?? "all Unified APIs"]) {
    list.append(element("li", api));
  }

  const parts = [element("h2", "Unified APIs"), list, element("h2", "Session")];
  parts.push(
    definitions([
      ["expires", new Date(claims.exp * 1000).toISOString(), "modal-expires-at"],
      ["redirect", claims.redirect_uri ?? "none"],
    ]),
  );
  // vault-js shows the consumer only when asked to (its `showConsumer` option, default false).
  if (options.showConsumer) {
    parts.push(element("h2", "Consumer"));
    parts.push(
      definitions([
        ["consumer id", claims.consumer_id, "modal-consumer-id"],
        ["user", consumer.user_name ?? ""],
        ["account", consumer.account_name ?? ""],
        ["email", consumer.email ?? ""],
      ]),
    );
  }
  content.replaceChildren(...parts);
}

async function show(options) {
  try {
    const response = await fetch("session", { headers: { authorization: `Bearer ${options.token}` } });
    const body = await response.json();
    if (!response.ok) {
      content.replaceChildren(
        element("p", `${body.message}: ${body.detail}`, { class: "error", "data-testid": "modal-error" }),
      );
      return;
    }
    render(body.data, options);
  } catch {
    content.replaceChildren(
      element("p", "Could not reach Vault.", { class: "error", "data-testid": "modal-error" }),
    );
  }
}

document.getElementById("close").addEventListener("click", close);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") close();
});
window.addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  const data = event.data;
  if (data?.type === "close") close();
  else if (typeof data?.token === "string") show(data);
});
tell("on-ready");
