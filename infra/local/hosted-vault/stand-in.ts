import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { errors } from "jose";
import type { SessionClaims, SessionTokenIssuer } from "../apideck-session-token.ts";
import type { HttpAnswer } from "../loopback-server.ts";
import { renderSessionError, renderSessionPage } from "./session-page.ts";

/** What the stand-in needs of a request: method, path without query, lower-cased headers. */
export type PageRequest = { method: string; path: string; headers: Record<string, string> };

/** The paths the stand-in owns on the simulator: Hosted Vault's page and the vault-js modal frame. */
export const HOSTED_VAULT_PATH = "/session/";
export const VAULT_JS_FRAME_PATH = "/vaultjs/";

// The modal frame's files, read once: the frame is what `@apideck/vault-js` iframes from
// https://vaultjs.apideck.com, so a test routes that origin here (see README "Browser apps").
const frameFiles: Record<string, { type: string; body: string }> = {
  "": { type: "text/html; charset=utf-8", body: read("modal-frame.html") },
  "frame.js": { type: "text/javascript; charset=utf-8", body: read("modal-frame.js") },
  "frame.css": { type: "text/css; charset=utf-8", body: read("modal-frame.css") },
};

// No token may leak through a Referer (the logo's host would get the page URL, token included),
// nothing may be cached, and nothing but the page's own resources and images may load.
const pageHeaders = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/**
 * Answers the stand-in Hosted Vault's requests, or returns undefined for any other path (the
 * simulator's API answers those). `GET /session/<token>` verifies the token (signature, expiry) and
 * shows the session; `GET /vaultjs/` serves the modal frame, `GET /vaultjs/session` its verified claims.
 */
export async function answerHostedVault(
  request: PageRequest,
  issuer: SessionTokenIssuer,
  now: () => number,
): Promise<HttpAnswer | undefined> {
  const { method, path } = request;
  const ours =
    path.startsWith(HOSTED_VAULT_PATH) || path === "/vaultjs" || path.startsWith(VAULT_JS_FRAME_PATH);
  if (!ours) return undefined;
  if (method !== "GET") return { status: 405, headers: { allow: "GET", ...pageHeaders }, body: "" };
  if (path === "/vaultjs") return { status: 308, headers: { location: VAULT_JS_FRAME_PATH }, body: "" };

  if (path.startsWith(HOSTED_VAULT_PATH))
    return sessionPage(path.slice(HOSTED_VAULT_PATH.length), issuer, now);
  const file = path.slice(VAULT_JS_FRAME_PATH.length);
  if (file === "session") return frameSession(request.headers.authorization, issuer);
  const found = frameFiles[file];
  if (found === undefined)
    return { status: 404, headers: { "content-type": "text/plain", ...pageHeaders }, body: "Not found" };
  // The frame is embedded by any app (that is vault-js's job), so no frame-ancestors here.
  const csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src http: https:; connect-src 'self'; base-uri 'none'; form-action 'none'";
  return {
    status: 200,
    headers: { "content-type": found.type, "content-security-policy": csp, ...pageHeaders },
    body: found.body,
  };
}

async function sessionPage(
  token: string,
  issuer: SessionTokenIssuer,
  now: () => number,
): Promise<HttpAnswer> {
  const nonce = randomBytes(16).toString("base64");
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": csp,
    ...pageHeaders,
  };
  const verified = await verify(token, issuer);
  if ("problem" in verified) {
    return {
      status: 401,
      headers,
      body: renderSessionError(verified.problem.title, verified.problem.reason, nonce),
    };
  }
  return { status: 200, headers, body: renderSessionPage(verified.claims, now(), nonce) };
}

async function frameSession(
  authorization: string | undefined,
  issuer: SessionTokenIssuer,
): Promise<HttpAnswer> {
  const headers = { "content-type": "application/json; charset=utf-8", ...pageHeaders };
  const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1] ?? "";
  const verified = await verify(token, issuer);
  if ("problem" in verified) {
    const { title, reason } = verified.problem;
    return {
      status: 401,
      headers,
      body: JSON.stringify({ status_code: 401, error: "Unauthorized", message: title, detail: reason }),
    };
  }
  return { status: 200, headers, body: JSON.stringify({ data: verified.claims }) };
}

type Verified = { claims: SessionClaims } | { problem: { title: string; reason: string } };

async function verify(token: string, issuer: SessionTokenIssuer): Promise<Verified> {
  try {
    return { claims: await issuer.verify(token) };
  } catch (error) {
    // Only the kind of failure is shown: never the token, nor anything decoded from an unverified one.
    if (error instanceof errors.JWTExpired) {
      return { problem: { title: "Session expired", reason: "This Vault session has expired." } };
    }
    return {
      problem: {
        title: "Invalid session",
        reason:
          "This link does not hold a session token this Vault issued (malformed, or its signature does not verify).",
      },
    };
  }
}

function read(name: string): string {
  return readFileSync(new URL(name, import.meta.url), "utf8");
}
