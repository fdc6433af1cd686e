// The demo app's only script. It does what a browser app does with the broker: get the user's JWT
// (here from its own server, standing in for a sign-in), call POST /sessions across origins with it,
// then send the user to Hosted Vault or open the vault-js modal with the session token. It never
// sees the Apideck API key, and it never says which consumer it is: the broker reads that from the JWT.

const brokerUrl = document.querySelector('meta[name="broker-url"]').content;
const $ = (id) => document.getElementById(id);
let session;

function log(text) {
  $("events").append(Object.assign(document.createElement("li"), { textContent: text }));
}

function show(id, text) {
  const node = $(id);
  node.textContent = text ?? "";
  node.hidden = text === undefined;
}

function outcome({ title, ok, expiry, message, detail }) {
  $("outcome").hidden = false;
  show("outcome-title", title);
  $("outcome-title").className = ok ? "ok" : "failed";
  show("expiry", expiry);
  show("error-message", message);
  show("error-detail", detail === undefined ? undefined : JSON.stringify(detail, null, 2));
  $("open").hidden = !ok;
}

async function signIn() {
  const response = await fetch("/dev-token", { method: "POST" });
  const { token } = await response.json();
  $("jwt").value = token;
  const claims = JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/")));
  // Shown for the reader only; the broker takes the consumer from the verified token, not from here.
  $("user").textContent = claims.sub;
  log(`signed in as ${claims.sub} (development JWT)`);
}

async function createSession() {
  session = undefined;
  $("create").disabled = true;
  let response;
  try {
    response = await fetch(`${brokerUrl}/sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${$("jwt").value.trim()}`, "content-type": "application/json" },
      body: $("body").value,
    });
  } catch {
    // A CORS refusal reaches a page only as a network error: the browser hides the answer.
    log("POST /sessions failed: no answer the page may read");
    return outcome({
      title: "Blocked",
      message: `The browser refused the answer from ${brokerUrl}: this origin (${location.origin}) is probably not in the broker's CORS origins.`,
    });
  } finally {
    $("create").disabled = false;
  }
  const body = await response.json().catch(() => ({}));
  log(`POST /sessions answered ${response.status}`);
  if (response.ok) {
    session = body.data;
    const expiresAt = response.headers.get("x-vault-session-expires-at");
    return outcome({ title: "Vault session ready", ok: true, expiry: `Expires at ${expiresAt}` });
  }
  // The broker's errors carry `message` and `detail`; API Gateway's own (401, 403) only `message`.
  outcome({
    title: `Error ${response.status}`,
    message: body.message ?? response.statusText,
    detail: body.detail,
  });
}

function openModal() {
  window.ApideckVault.open({
    token: session.session_token,
    showConsumer: true,
    onReady: () => log("vault-js modal ready (onReady)"),
    onClose: () => log("vault-js modal closed (onClose)"),
  });
}

$("origin").textContent = location.origin;
$("broker").textContent = brokerUrl;
$("body").value = JSON.stringify({ redirect_uri: `${location.origin}/?back=vault` }, null, 2);
$("back").hidden = new URLSearchParams(location.search).get("back") !== "vault";
$("create").addEventListener("click", createSession);
$("open-redirect").addEventListener("click", () => location.assign(session.session_uri));
$("open-modal").addEventListener("click", openModal);
$("create").disabled = true;
signIn()
  .catch(() => log("could not get a development JWT"))
  .finally(() => {
    $("create").disabled = false;
  });
