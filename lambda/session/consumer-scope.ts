/**
 * Consumer-id scopes: a comma-separated list of globs in which `*` matches any run of characters
 * and everything else is literal (`tenant-a:*,demo`). Globs, not regular expressions, because a
 * scope is written by people and matched on every request: a glob cannot be a ReDoS, and it cannot
 * be accidentally partial (`tenant-a:.+` without anchors). Matching is linear in the length of the
 * id plus the glob and builds no RegExp from the scope's text.
 */

/** At most this many globs in one scope. */
export const MAX_SCOPE_GLOBS = 32;
/** A glob is at most as long as a consumer id (`MAX_CONSUMER_ID_LENGTH`). */
export const MAX_GLOB_LENGTH = 256;

// `.` and `*` are left out on purpose: dots are common in literal ids, `*` is the wildcard.
const REGEX_METACHARACTERS = /[()[\]{}+?|^$\\]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** A glob prepared for matching: literal prefix and suffix, the literal runs between its stars. */
export interface CompiledGlob {
  readonly text: string;
  /** True when the glob has no `*`: the id must equal `prefix`. */
  readonly exact: boolean;
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: readonly Segment[];
}

interface Segment {
  readonly text: string;
  /** Knuth-Morris-Pratt failure table of `text`. */
  readonly failure: Int32Array;
}

/** A parsed scope. Example: `{ globs: ["tenant-a:*", "demo"], text: "tenant-a:*,demo" }`. */
export interface ConsumerScope {
  readonly globs: readonly string[];
  /** The globs joined by commas: what an environment variable or authorizer context carries. */
  readonly text: string;
  readonly compiled: readonly CompiledGlob[];
}

/** Counts the character comparisons of a match, so tests can show it stays linear. */
export interface MatchMeter {
  steps: number;
}

/** The result of `parseConsumerScope`: the scope, or one sentence saying what is wrong. */
export type ScopeParseResult =
  | { readonly ok: true; readonly scope: ConsumerScope }
  | { readonly ok: false; readonly problem: string };

/**
 * Parses a scope from its comma-separated text or from a list of globs (surrounding spaces are
 * trimmed). Fails with a problem such as `glob "tenant-(a|b)" looks like a regular expression; ...`.
 */
export function parseConsumerScope(input: string | readonly string[]): ScopeParseResult {
  const items = typeof input === "string" ? input.split(",") : input;
  if (typeof input !== "string" && input.some((glob) => glob.includes(",")))
    return fail("a glob may not contain a comma (commas separate globs)");
  const globs = items.map((glob) => glob.trim());
  if (globs.length === 0 || (globs.length === 1 && globs[0] === ""))
    return fail("must list at least one glob, e.g. tenant-a:*");
  if (globs.length > MAX_SCOPE_GLOBS) return fail(`must list at most ${MAX_SCOPE_GLOBS} globs`);
  for (const [index, glob] of globs.entries()) {
    if (glob === "") return fail(`glob ${index + 1} is empty`);
    if (glob.length > MAX_GLOB_LENGTH)
      return fail(`glob ${index + 1} is longer than ${MAX_GLOB_LENGTH} characters`);
    if (!PRINTABLE_ASCII.test(glob)) return fail(`glob ${index + 1} must be printable ASCII`);
    if (REGEX_METACHARACTERS.test(glob)) {
      return fail(
        `glob "${glob}" looks like a regular expression; scopes are globs: * matches any run of characters, everything else is literal`,
      );
    }
  }
  return { ok: true, scope: { globs, text: globs.join(","), compiled: globs.map(compileGlob) } };
}

/** True when `consumerId` matches at least one glob of `scope`, in full. */
export function isInConsumerScope(scope: ConsumerScope, consumerId: string, meter?: MatchMeter): boolean {
  return scope.compiled.some((glob) => matchesGlob(glob, consumerId, meter));
}

/** Prepares one glob; no validation (`parseConsumerScope` does that), so tests can try any size. */
export function compileGlob(text: string): CompiledGlob {
  const parts = text.split("*");
  if (parts.length === 1) return { text, exact: true, prefix: text, suffix: "", middle: [] };
  const middle = parts
    .slice(1, -1)
    .filter((part) => part !== "")
    .map((part) => ({ text: part, failure: failureTable(part) }));
  return { text, exact: false, prefix: parts[0] ?? "", suffix: parts.at(-1) ?? "", middle };
}

/**
 * Full match of `value` against a compiled glob in O(|value| + |glob|): the prefix and suffix are
 * fixed, and each literal run between stars is found at its leftmost place after the previous one
 * (leftmost is always safe: it leaves the most room for what follows) with KMP, which never moves
 * backwards in `value`. The textbook two-pointer matcher that backtracks to the last star is
 * O(|value| x |glob|) on inputs like `*aaaa...b`; this one is not.
 */
export function matchesGlob(glob: CompiledGlob, value: string, meter?: MatchMeter): boolean {
  const { prefix, suffix } = glob;
  if (meter) meter.steps += Math.min(value.length, prefix.length + suffix.length + 1);
  if (glob.exact) return value === prefix;
  if (value.length < prefix.length + suffix.length) return false;
  if (!value.startsWith(prefix) || !value.endsWith(suffix)) return false;
  let from = prefix.length;
  const end = value.length - suffix.length;
  for (const segment of glob.middle) {
    const at = indexWithin(value, segment, from, end, meter);
    if (at < 0) return false;
    from = at + segment.text.length;
  }
  return true;
}

/** KMP search for `segment` entirely inside `value[from, end)`; -1 when absent. */
function indexWithin(value: string, segment: Segment, from: number, end: number, meter?: MatchMeter): number {
  const { text, failure } = segment;
  let matched = 0;
  for (let i = from; i < end; i++) {
    const char = value.charCodeAt(i);
    while (matched > 0 && text.charCodeAt(matched) !== char) {
      matched = failure[matched - 1] ?? 0;
      if (meter) meter.steps++;
    }
    if (meter) meter.steps++;
    if (text.charCodeAt(matched) === char) matched++;
    if (matched === text.length) return i - text.length + 1;
  }
  return -1;
}

function failureTable(text: string): Int32Array {
  const failure = new Int32Array(text.length);
  let k = 0;
  for (let i = 1; i < text.length; i++) {
    while (k > 0 && text.charCodeAt(i) !== text.charCodeAt(k)) k = failure[k - 1] ?? 0;
    if (text.charCodeAt(i) === text.charCodeAt(k)) k++;
    failure[i] = k;
  }
  return failure;
}

function fail(problem: string): ScopeParseResult {
  return { ok: false, problem };
}
