// Characters that make a scope look like a regular expression; scopes are globs (README "Session
// policy"), which match in linear time whatever the consumer id, so no pattern can freeze the function.
const REGEX_METACHARACTERS = /[()[\]{}+?|^$\\]/;

/**
 * The form of `CONSUMER_ID_SCOPE`: comma-separated globs in which `*` matches any run of characters
 * and everything else is literal. Returns what is wrong with `scope`, empty when the form is right.
 * An interim check: lambda/session/consumer-scope.ts owns the rules, and `policyProblems` defers to
 * the function's parser as soon as the parser reads the variable.
 */
export function consumerScopeProblems(scope: string): string[] {
  const globs = scope.split(",").map((glob) => glob.trim());
  if (globs.some((glob) => glob === ""))
    return ["must be comma-separated globs, none empty, e.g. tenant-a:*"];
  return globs.flatMap((glob) => {
    if (REGEX_METACHARACTERS.test(glob)) {
      return [`${glob} looks like a regular expression; scopes are globs (* matches any run of characters)`];
    }
    if (!/^[\x20-\x7e]{1,256}$/.test(glob)) return [`${glob} must be 1 to 256 printable ASCII characters`];
    return [];
  });
}
