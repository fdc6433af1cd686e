import { ForbiddenRequestError, SessionValidationError } from "../errors/request-errors.ts";

/** The operator's redirect rules. An empty allow-list means "any https URL". */
export interface RedirectPolicy {
  /** Origins (`https://app.example.com`) or exact URLs (`https://app.example.com/done`). */
  readonly allowList: readonly string[];
  /** Accept `http://localhost`-style URLs: only the local runner turns this on. */
  readonly allowLoopbackHttp: boolean;
}

// The authority as typed must already be plain ASCII host[:port] (or a bracketed IPv6 literal):
// the URL parser would otherwise quietly decode %-escapes and map Unicode to punycode, and the host
// a person reads would not be the host the browser visits.
const PLAIN_AUTHORITY =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Checks a `redirect_uri` (already an absolute http(s) URL without credentials, see http-url.ts)
 * against the operator's policy. Look-alike tricks are a 422 (the URL is not acceptable to anyone);
 * a clean URL that is not on the allow-list is a 403 (acceptable, but not for this operator).
 */
export function checkRedirectUri(value: string, policy: RedirectPolicy): void {
  const authority = /^https?:\/\/([^/?#]*)/i.exec(value)?.[1] ?? "";
  const url = new URL(value);
  const problem = (text: string) => new SessionValidationError([{ path: "redirect_uri", problem: text }]);

  if (!PLAIN_AUTHORITY.test(authority))
    throw problem("must have a plain ASCII host (no encoding, Unicode or userinfo)");
  if (url.hostname.split(".").some((label) => label.startsWith("xn--"))) {
    throw problem("must not use an internationalized (punycode) host");
  }
  if (
    url.protocol !== "https:" &&
    !(policy.allowLoopbackHttp && LOOPBACK_HOST.test(url.host.replace(/:\d+$/, "")))
  ) {
    throw problem("must use https");
  }
  if (policy.allowList.length > 0 && !policy.allowList.some((rule) => matchesRule(url, rule))) {
    throw new ForbiddenRequestError("redirect_uri", "redirect_uri is not on the operator's allow-list.");
  }
}

/** An origin rule matches any path on that exact origin; a rule with a path matches that URL only. */
function matchesRule(url: URL, rule: string): boolean {
  const ruleUrl = new URL(rule);
  const isOrigin = /^https?:\/\/[^/?#]+\/?$/i.test(rule);
  return isOrigin ? url.origin === ruleUrl.origin : url.href === ruleUrl.href;
}
