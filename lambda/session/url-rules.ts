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
