import { readFileSync } from "node:fs";
import type { SessionClaims } from "../apideck-session-token.ts";
import { escapeHtml, objectClaim, safeColor, safeHttpUrl } from "./safe-values.ts";

// Inlined (under the page's CSP nonce) after the theme's variables, so the page is one request.
const sessionPageCss = readFileSync(new URL("session-page.css", import.meta.url), "utf8");

// Hosted Vault's own fallbacks (apideck-samples/vault, src/config/defaults.ts and Layout.tsx).
const fallbackTheme = {
  vault_name: "Apideck",
  primary_color: "#5c51ce",
  side_bg: "#edf2f7",
  side_text: "#1a202c",
};

/** The theme of a session as the page applies it: checked colours and URLs, and the Vault's name. */
export type AppliedTheme = {
  vaultName: string;
  primaryColor: string;
  sidepanelBackgroundColor: string;
  sidepanelTextColor: string;
  logo?: string | undefined;
  favicon?: string | undefined;
};

/** Reads the token's `theme` claim the way Hosted Vault does, dropping colours and URLs that are unsafe. */
export function applyTheme(claim: unknown): AppliedTheme {
  const theme = objectClaim(claim);
  return {
    vaultName: typeof theme.vault_name === "string" ? theme.vault_name : fallbackTheme.vault_name,
    primaryColor: safeColor(theme.primary_color) ?? fallbackTheme.primary_color,
    sidepanelBackgroundColor: safeColor(theme.sidepanel_background_color) ?? fallbackTheme.side_bg,
    sidepanelTextColor: safeColor(theme.sidepanel_text_color) ?? fallbackTheme.side_text,
    logo: safeHttpUrl(theme.logo),
    favicon: safeHttpUrl(theme.favicon),
  };
}

/**
 * Renders the stand-in Hosted Vault page for a verified session: the consumer and its metadata, the
 * theme applied, the Unified APIs it may show, its settings, its expiry and a link back to
 * `redirect_uri`. `nonce` is the CSP nonce of the one inline stylesheet.
 */
export function renderSessionPage(claims: SessionClaims, nowMs: number, nonce: string): string {
  const theme = applyTheme(claims.theme);
  const consumer = objectClaim(claims.consumer_metadata);
  const settings = objectClaim(claims.settings);
  const rawTheme = objectClaim(claims.theme);
  const apis = Array.isArray(settings.unified_apis) ? settings.unified_apis.map(String) : [];
  const exp = typeof claims.exp === "number" ? claims.exp : 0;
  const minutesLeft = Math.max(0, Math.round((exp * 1000 - nowMs) / 60_000));
  const back = safeHttpUrl(claims.redirect_uri);
  const image = safeHttpUrl(consumer.image);
  const termsUrl = safeHttpUrl(rawTheme.terms_url);
  const privacyUrl = safeHttpUrl(rawTheme.privacy_url);

  return page(
    `${theme.vaultName} Vault`,
    nonce,
    theme,
    `
<aside class="side" data-testid="sidepanel">
  ${theme.logo ? `<img class="logo" data-testid="logo" src="${escapeHtml(theme.logo)}" alt="${escapeHtml(theme.vaultName)} logo">` : ""}
  <p class="vault-name" data-testid="vault-name">${escapeHtml(theme.vaultName)} Vault</p>
  <div class="consumer" data-testid="consumer">
    ${image ? `<img class="avatar" src="${escapeHtml(image)}" alt="">` : ""}
    <p class="strong" data-testid="consumer-user">${escapeHtml(consumer.user_name ?? "")}</p>
    <p data-testid="consumer-account">${escapeHtml(consumer.account_name ?? "")}</p>
    <p data-testid="consumer-email">${escapeHtml(consumer.email ?? "")}</p>
    <p class="muted">consumer <code data-testid="consumer-id">${escapeHtml(claims.consumer_id)}</code></p>
  </div>
  <p class="legal">${termsUrl ? `<a href="${escapeHtml(termsUrl)}">Terms</a>` : ""} ${privacyUrl ? `<a href="${escapeHtml(privacyUrl)}">Privacy</a>` : ""}</p>
</aside>
<main>
  <p class="notice">Local stand-in for Apideck Hosted Vault: it shows what this session holds; no integration can be connected here.</p>
  ${settings.sandbox_mode === true ? `<p class="sandbox" data-testid="sandbox">Sandbox mode</p>` : ""}
  <h1>Integrations</h1>
  <section>
    <h2>Unified APIs</h2>
    <ul class="apis" data-testid="unified-apis">${apis.length === 0 ? "<li>all Unified APIs</li>" : apis.map((api) => `<li>${escapeHtml(api)}</li>`).join("")}</ul>
  </section>
  <section>
    <h2>Session</h2>
    <dl>
      <dt>application</dt><dd data-testid="application-id">${escapeHtml(claims.application_id)}</dd>
      <dt>expires</dt><dd data-testid="expires-at">${escapeHtml(new Date(exp * 1000).toISOString())} (in ${minutesLeft} min)</dd>
      <dt>redirect</dt><dd data-testid="redirect-uri">${back ? escapeHtml(back) : "none"}</dd>
    </dl>
  </section>
  <section><h2>Settings</h2>${table(settings, "settings")}</section>
  <section><h2>Theme</h2>${table(rawTheme, "theme")}</section>
  ${back ? `<p><a class="button" data-testid="back-link" href="${escapeHtml(back)}">Back to ${escapeHtml(new URL(back).host)}</a></p>` : ""}
</main>`,
  );
}

/** Renders the page Hosted Vault shows instead of a session: expired, tampered or malformed token. */
export function renderSessionError(title: string, reason: string, nonce: string): string {
  return page(
    title,
    nonce,
    applyTheme({}),
    `
<main class="error" data-testid="session-error">
  <h1>${escapeHtml(title)}</h1>
  <p>${escapeHtml(reason)}</p>
  <p>Ask the app you came from for a new Vault session.</p>
</main>`,
  );
}

function table(values: Record<string, unknown>, testId: string): string {
  const rows = Object.entries(values).map(
    ([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(JSON.stringify(value))}</td></tr>`,
  );
  return rows.length === 0
    ? `<p class="muted" data-testid="${testId}">none sent: Vault's defaults apply</p>`
    : `<table data-testid="${testId}">${rows.join("")}</table>`;
}

function page(title: string, nonce: string, theme: AppliedTheme, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${theme.favicon ? `<link rel="icon" href="${escapeHtml(theme.favicon)}">` : ""}
<style nonce="${nonce}">
:root { --primary: ${theme.primaryColor}; --side-bg: ${theme.sidepanelBackgroundColor}; --side-text: ${theme.sidepanelTextColor}; }
${sessionPageCss}</style>
</head>
<body>${body}
</body>
</html>
`;
}
