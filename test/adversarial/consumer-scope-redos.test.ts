import { afterEach, describe, expect, it } from "vitest";
import { MAX_CONSUMER_ID_LENGTH } from "../../lambda/callers/consumer-id.ts";
import { loadConfig } from "../../lambda/config.ts";
import {
  type ConsumerScope,
  isInConsumerScope,
  type MatchMeter,
  parseConsumerScope,
} from "../../lambda/session/consumer-scope.ts";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// Finding 1 of issue 11: `CONSUMER_ID_PATTERN: (?:[a-z0-9]+-?)+:[0-9]+` took 52.7 s on a
// 30-character id. Scopes are globs now. Every known-evil regular expression is refused at cold
// start (naming the variable); the globs shaped like them are accepted and run in linear time,
// which is counted in matcher steps, and whole requests with the worst ids answer well inside
// their deadline.

/** Catastrophic-backtracking patterns from the ReDoS literature (OWASP, Davis et al. 2018) and the review. */
const EVIL_REGEXES = [
  "(?:[a-z0-9]+-?)+:[0-9]+",
  "(a+)+$",
  "([a-zA-Z]+)*",
  "(a|aa)+",
  "(a|a?)+",
  "(.*a){12}",
  "^(\\d+)*$",
  "(\\w+\\s?)*$",
  "^(([a-z])+.)+[A-Z]([a-z])+$",
  "tenant-a:.+",
];

/** Globs with the shapes that make those patterns backtrack: many stars, overlapping literal runs. */
const EVIL_GLOBS = [
  "*a*a*a*a*a*a*a*a*a*a*a*b",
  "a*a*a*a*:*0",
  "*aaaaaaaaaaaaaaaaaaaaaaaaab*",
  "*-*-*-*-*-*-*-*:*",
  "*ab*ab*ab*ab*abc",
  `*${"a*".repeat(60)}!`,
  `${"a".repeat(120)}*${"a".repeat(120)}b`,
];

/** Ids that nearly match: long runs of what the globs look for, then the wrong last character. */
function worstIds(glob: string): string[] {
  const fill = (unit: string, length: number) =>
    unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const [prefix = "", suffix = ""] = [glob.split("*")[0], glob.split("*").at(-1)];
  const room = MAX_CONSUMER_ID_LENGTH - prefix.length - suffix.length;
  return ["a", "ab", "a-", "aaaab", "a:"].flatMap((unit) => [
    `${fill(unit, MAX_CONSUMER_ID_LENGTH - 1)}!`,
    `${prefix}${fill(unit, room - 1)}!${suffix}`.slice(0, MAX_CONSUMER_ID_LENGTH),
    fill(unit, 30),
  ]);
}

function scopeOf(globs: readonly string[]): ConsumerScope {
  const parsed = parseConsumerScope(globs);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.scope;
}

describe("Adversarial: consumer scope (ReDoS)", () => {
  let harness: BrokerHarness | undefined;

  afterEach(async () => {
    if (harness === undefined) return;
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
    harness = undefined;
  });

  it.each(EVIL_REGEXES)("refuses %j as CONSUMER_ID_SCOPE at cold start, naming the variable", (pattern) => {
    expect(() =>
      loadConfig({ APIDECK_APP_ID: "app", APIDECK_SECRET_ID: "s", CONSUMER_ID_SCOPE: pattern }),
    ).toThrow(/CONSUMER_ID_SCOPE glob .*looks like a regular expression; scopes are globs/);
  });

  it.each(EVIL_REGEXES)("refuses %j as the retired CONSUMER_ID_PATTERN, pointing to the scope", (pattern) => {
    expect(() =>
      loadConfig({ APIDECK_APP_ID: "app", APIDECK_SECRET_ID: "s", CONSUMER_ID_PATTERN: pattern }),
    ).toThrow(/CONSUMER_ID_PATTERN is no longer read: it was replaced by CONSUMER_ID_SCOPE/);
  });

  it.each(EVIL_GLOBS)("matches the worst ids against %j in steps linear in id plus glob", (glob) => {
    const scope = scopeOf([glob]);

    for (const id of worstIds(glob)) {
      const meter: MatchMeter = { steps: 0 };
      isInConsumerScope(scope, id, meter);

      expect(meter.steps).toBeLessThanOrEqual(2 * (id.length + glob.length));
    }
  });

  it("answers every worst id within its deadline, with all the evil globs in one scope", async () => {
    harness = await startBrokerHarness({ env: { CONSUMER_ID_SCOPE: EVIL_GLOBS.join(",") } });
    const scope = scopeOf(EVIL_GLOBS);
    const deadlineMs = 3_000;

    for (const id of EVIL_GLOBS.flatMap(worstIds)) {
      const meter: MatchMeter = { steps: 0 };
      const inScope = isInConsumerScope(scope, id, meter);
      const startedAt = performance.now();

      const result = await harness.postVaultSessions({
        headers: { "x-apideck-consumer-id": id },
        remainingMs: deadlineMs,
      });

      // The deadline is Lambda's remaining time; the match itself is a few thousand steps at most.
      expect(performance.now() - startedAt).toBeLessThan(deadlineMs);
      expect(meter.steps).toBeLessThanOrEqual(
        EVIL_GLOBS.reduce((sum, glob) => sum + 2 * (id.length + glob.length), 0),
      );
      expect(result.statusCode).toBe(inScope ? 200 : 403);
    }
    expect(harness.simulator.requests.every((request) => request.valid)).toBe(true);
  });
});
