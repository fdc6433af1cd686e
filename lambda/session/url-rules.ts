/** Longest URL we forward; browsers and CDNs start failing well above this. */
export const MAX_URL_LENGTH = 2048;

// Whitespace, control characters and backslashes are rejected outright: WHATWG URL parsing
// silently strips or rewrites them, which is how look-alike URLs get past naive checks.
const FORBIDDEN_URL_CHARACTERS = /[\s\\\p{Cc}]/u;

/** True for an absolute `http:` or `https:` URL with a host, no credentials and no odd characters. */
export function isHttpUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH || FORBIDDEN_URL_CHARACTERS.test(value)) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  const url = URL.parse(value);
  if (url === null || url.hostname === "") return false;
  return url.username === "" && url.password === "";
}

/** What the operator may relax (README "Session policy"); everything else holds for everyone. */
export interface UrlRuleOptions {
  /** `http://localhost`-style URLs (loopback hosts, http or https): only the local runner turns this on. */
  readonly allowLoopbackHttp: boolean;
  /** Internationalized (`xn--`) host labels, for operators whose customers' domains need them. */
  readonly allowPunycode: boolean;
}

/** The rules as a schema applies them: only what no operator setting could allow. */
export const LENIENT_URL_RULES: UrlRuleOptions = { allowLoopbackHttp: true, allowPunycode: true };

/** Each rule, by the words an error's `detail` uses for it. */
export const URL_RULES = {
  form: `must be an absolute https URL of at most ${MAX_URL_LENGTH} characters, without whitespace, control characters or backslashes`,
  userinfo: "must not contain credentials (userinfo before the host)",
  plainHost: "must have a plain ASCII host name (no percent-encoding or non-ASCII characters)",
  ipLiteral: "must not use an IP address as its host (IPv4 in any notation, or IPv6)",
  internalHost:
    "must not name a loopback, link-local or metadata host (localhost, *.local, *.internal, metadata)",
  punycode: "must not use a punycode (xn--) host; the operator can allow them with ALLOW_PUNYCODE_HOSTS",
  https: "must use https",
} as const;

// The authority as typed must already be plain ASCII host[:port] (or a bracketed IPv6 literal):
// the URL parser would otherwise quietly decode %-escapes and map Unicode to punycode, and the host
// a person reads would not be the host the browser visits.
const PLAIN_AUTHORITY =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
// After parsing, every IPv4 spelling (0x7f.1, 2130706433, 0177.0.0.1, 127.1) is a dotted quad.
const IPV4_HOST = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const LOOPBACK_IP = /^(?:127(?:\.\d{1,3}){3}|\[::1\])$/;
// Names that resolve to the machine itself, the local link, or a cloud's metadata service
// (metadata.google.internal, instance-data.ec2.internal; bare `metadata` is a one-label name).
const INTERNAL_NAME = /(?:^|\.)(?:localhost|local|internal|localdomain|home\.arpa)$/i;

/**
 * The first rule `value` breaks, in the words of `URL_RULES`, or undefined when it is acceptable.
 * One rule set for every URL field of a session (`redirect_uri`, `image`, `logo`, `favicon`,
 * `privacy_url`, `terms_url`): Apideck shows or follows each of them for the operator's customers.
 */
export function urlProblem(value: string, options: UrlRuleOptions): string | undefined {
  if (!isHttpUrl(value)) {
    const url = URL.parse(value);
    return url !== null && (url.username !== "" || url.password !== "") ? URL_RULES.userinfo : URL_RULES.form;
  }
  const authority = /^https?:\/\/([^/?#]*)/i.exec(value)?.[1] ?? "";
  if (authority.includes("@")) return URL_RULES.userinfo;
  if (!PLAIN_AUTHORITY.test(authority)) return URL_RULES.plainHost;
  const url = new URL(value);
  const host = url.hostname.toLowerCase();
  const loopback = LOOPBACK_IP.test(host) || /^localhost$/.test(host);
  if (options.allowLoopbackHttp && loopback) return undefined;
  if (IPV4_HOST.test(host) || host.startsWith("[")) return URL_RULES.ipLiteral;
  if (!host.includes(".") || INTERNAL_NAME.test(host)) return URL_RULES.internalHost;
  if (!options.allowPunycode && host.split(".").some((label) => label.startsWith("xn--")))
    return URL_RULES.punycode;
  if (url.protocol !== "https:") return URL_RULES.https;
  return undefined;
}

/** `APIDECK_BASE_URL`: https, or http to a loopback host (the local simulator); never a cleartext key. */
export function isApideckBaseUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return url.protocol === "https:" || LOOPBACK_IP.test(url.hostname) || url.hostname === "localhost";
}
