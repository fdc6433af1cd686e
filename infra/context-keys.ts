/** Keys this app no longer reads, and what replaced them; setting one fails the synth with this text. */
export const RETIRED_CONTEXT_KEYS: Readonly<Record<string, string>> = {
  consumerIdPattern:
    "was replaced by consumerIdScope: comma-separated globs where * matches any run of characters " +
    "(regular expressions are no longer accepted), e.g. -c consumerIdScope=tenant-a:*",
};

/**
 * Context the CDK CLI and the CDK itself put there: feature flags (`@aws-cdk/core:...`), CLI settings
 * (`aws:cdk:...`), what `cdk acknowledge` and `cdk cli-telemetry` save, and cached lookups
 * (`availability-zones:account=...`). Not ours to judge.
 */
export function isCdkContextKey(key: string): boolean {
  return (
    key.startsWith("@") ||
    key.startsWith("aws:cdk:") ||
    key.startsWith("cdk-") ||
    key === "acknowledged-issue-numbers" ||
    key === "cli-telemetry" ||
    /^[\w-]+:account=/.test(key)
  );
}

/**
 * One problem per context key that is neither ours (`known`) nor the CDK's: a misspelt setting
 * would otherwise be dropped without a word (`redirectAllowList` instead of `redirectAllowlist`
 * leaves the redirect allow-list off). Suggests the closest known key when one is near.
 */
export function unknownKeyProblems(keys: Iterable<string>, known: readonly string[]): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    if (known.includes(key) || isCdkContextKey(key)) continue;
    const retired = RETIRED_CONTEXT_KEYS[key];
    if (retired !== undefined) {
      problems.push(`${key}: ${retired}`);
      continue;
    }
    const suggestion = closestKey(key, known);
    problems.push(
      suggestion
        ? `${key}: is not a setting of this app; did you mean ${suggestion}?`
        : `${key}: is not a setting of this app (README "Deploy" lists every key)`,
    );
  }
  return problems;
}

/** The known key nearest to `key`, ignoring case, if it is within a typo's reach (about one edit in four characters). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const reach = Math.min(3, Math.max(1, Math.floor(key.length / 4)));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= reach && (best === undefined || distance < best.distance))
      best = { key: candidate, distance };
  }
  return best?.key;
}

/** Edit distance (insertions, deletions, substitutions), one row at a time. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
