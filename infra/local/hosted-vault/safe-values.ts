// The stand-in renders values that reach the simulator from anyone on loopback (the broker validates
// them, a direct caller of the simulator may not), so every value is escaped or checked first.

const htmlEscapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

/** Returns `value` when it is an absolute http(s) URL, else undefined (no `javascript:`, `data:`, ...). */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || !URL.canParse(value)) return undefined;
  const { protocol } = new URL(value);
  return protocol === "https:" || protocol === "http:" ? value : undefined;
}

// The colour forms the broker accepts (README "Validation"); nothing that could close a CSS
// declaration (`;`, `}`) or load anything (`url(`) gets through.
const colorPattern = /^(#[0-9a-f]{3,8}|[a-z]{3,30}|(rgb|rgba|hsl|hsla)\([\d\s.,%/]+\))$/i;

/** Returns `value` when it is a plain CSS colour (hex, name, rgb()/hsl()), else undefined. */
export function safeColor(value: unknown): string | undefined {
  return typeof value === "string" && colorPattern.test(value) ? value : undefined;
}

/** Reads an object-valued claim, or an empty object when the claim is anything else. */
export function objectClaim(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
