import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileGlob,
  isInConsumerScope,
  MAX_GLOB_LENGTH,
  MAX_SCOPE_GLOBS,
  type MatchMeter,
  matchesGlob,
  parseConsumerScope,
} from "../../../lambda/session/consumer-scope.ts";

/** Parses a scope that must be valid. */
function scopeOf(text: string | string[]) {
  const parsed = parseConsumerScope(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.scope;
}

/** The definition of a glob match, by dynamic programming over (glob, value) prefixes: O(n x m). */
function referenceMatch(glob: string, value: string): boolean {
  // row[j]: does glob[0..i) match value[0..j)?
  let row = Array.from({ length: value.length + 1 }, (_, j) => j === 0);
  for (const char of glob) {
    const next = new Array<boolean>(value.length + 1).fill(false);
    next[0] = char === "*" && row[0] === true;
    for (let j = 1; j <= value.length; j++) {
      next[j] =
        char === "*" ? row[j] === true || next[j - 1] === true : row[j - 1] === true && value[j - 1] === char;
    }
    row = next;
  }
  return row[value.length] === true;
}

/** The textbook greedy two-pointer matcher (backtrack to the last star), counting its steps. */
function backtrackingSteps(glob: string, value: string): number {
  let steps = 0;
  let g = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    steps++;
    if (g < glob.length && glob[g] === value[v]) {
      g++;
      v++;
    } else if (g < glob.length && glob[g] === "*") {
      star = g++;
      resume = v;
    } else if (star >= 0) {
      g = star + 1;
      v = ++resume;
    } else return steps;
  }
  return steps;
}

describe("Unit: consumer scope", () => {
  describe("parseConsumerScope", () => {
    it("parses comma-separated globs, trimming the spaces around them", () => {
      const scope = scopeOf(" tenant-a:* , demo ,acme.com:42");

      expect(scope.globs).toEqual(["tenant-a:*", "demo", "acme.com:42"]);
      expect(scope.text).toBe("tenant-a:*,demo,acme.com:42");
    });

    it("parses a list of globs", () => {
      expect(scopeOf(["tenant-a:*", "demo"]).text).toBe("tenant-a:*,demo");
    });

    it.each(["(", ")", "[", "]", "{", "}", "+", "?", "|", "^", "$", "\\"])(
      "rejects a glob containing the regular-expression metacharacter %s",
      (char) => {
        const parsed = parseConsumerScope(`tenant-a:${char}x`);

        expect(parsed).toEqual({
          ok: false,
          problem: `glob "tenant-a:${char}x" looks like a regular expression; scopes are globs: * matches any run of characters, everything else is literal`,
        });
      },
    );

    it.each([
      ["an empty scope", "", "must list at least one glob, e.g. tenant-a:*"],
      ["only spaces", "   ", "must list at least one glob, e.g. tenant-a:*"],
      ["an empty entry", "a,,b", "glob 2 is empty"],
      ["a trailing comma", "a,", "glob 2 is empty"],
      ["a control character", "tenant\u0000a", "glob 1 must be printable ASCII"],
      ["a non-ASCII character", "tenänt", "glob 1 must be printable ASCII"],
      ["a typical regex", "tenant-a:.+", 'glob "tenant-a:.+" looks like a regular expression'],
      ["an anchored regex", "^tenant$", 'glob "^tenant$" looks like a regular expression'],
    ])("rejects %s", (_name, text, problem) => {
      const parsed = parseConsumerScope(text);

      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? "" : parsed.problem).toContain(problem);
    });

    it("rejects an empty list and a listed glob with a comma", () => {
      expect(parseConsumerScope([])).toMatchObject({
        ok: false,
        problem: expect.stringContaining("at least"),
      });
      expect(parseConsumerScope(["a,b"])).toMatchObject({
        ok: false,
        problem: expect.stringContaining("comma"),
      });
    });

    it(`accepts ${MAX_SCOPE_GLOBS} globs of ${MAX_GLOB_LENGTH} characters and refuses one more of either`, () => {
      const long = "x".repeat(MAX_GLOB_LENGTH);
      const many = Array.from({ length: MAX_SCOPE_GLOBS }, () => long);

      expect(parseConsumerScope(many).ok).toBe(true);
      expect(parseConsumerScope([...many, "y"])).toEqual({
        ok: false,
        problem: `must list at most ${MAX_SCOPE_GLOBS} globs`,
      });
      expect(parseConsumerScope(`${long}x`)).toEqual({
        ok: false,
        problem: `glob 1 is longer than ${MAX_GLOB_LENGTH} characters`,
      });
    });
  });

  describe("isInConsumerScope", () => {
    it.each([
      ["tenant-a:*", "tenant-a:1", true],
      ["tenant-a:*", "tenant-a:", true],
      ["tenant-a:*", "tenant-b:1", false],
      ["tenant-a:*", "xtenant-a:1", false],
      ["*:admin", "tenant-a:admin", true],
      ["*:admin", "tenant-a:admins", false],
      ["a*b*c", "abc", true],
      ["a*b*c", "aXbYc", true],
      ["a*b*c", "acb", false],
      ["a*a", "a", false],
      ["a*a", "aa", true],
      ["*", "anything at all", true],
      ["demo", "demo", true],
      ["demo", "Demo", false],
      ["demo", "demo2", false],
      ["acme.com", "acmeXcom", false],
    ])("matches %j against %j: %s", (glob, id, expected) => {
      expect(isInConsumerScope(scopeOf(glob), id)).toBe(expected);
    });

    it("matches when any glob of the list matches", () => {
      const scope = scopeOf("tenant-a:*,tenant-b:7");

      expect(isInConsumerScope(scope, "tenant-b:7")).toBe(true);
      expect(isInConsumerScope(scope, "tenant-b:8")).toBe(false);
    });

    it("agrees with the reference definition on random globs and ids", () => {
      // A two-letter alphabet makes overlapping runs (the hard case for a matcher) frequent.
      const glob = fc.string({ unit: fc.constantFrom("a", "b", "*"), maxLength: 12 });
      const value = fc.string({ unit: fc.constantFrom("a", "b"), maxLength: 16 });

      fc.assert(
        fc.property(glob, value, (g, v) => {
          expect(matchesGlob(compileGlob(g), v)).toBe(referenceMatch(g, v));
        }),
        { numRuns: 20_000 },
      );
    });

    it("agrees with the reference definition on printable ASCII", () => {
      const unit = fc.constantFrom("a", "b", ":", "-", ".", "*");
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 20 }), fc.string({ unit, maxLength: 30 }), (g, v) => {
          const id = v.replaceAll("*", "x");
          expect(matchesGlob(compileGlob(g), id)).toBe(referenceMatch(g, id));
        }),
        { numRuns: 5_000 },
      );
    });
  });

  describe("matching cost", () => {
    // Inputs that make a backtracking matcher (or a regex such as /^.*a.*a.*b$/) do n x m work.
    const evil = (n: number) =>
      [
        [`*${"a".repeat(n / 2)}b`, "a".repeat(n)],
        [`*${"a".repeat(n / 2)}b*`, "a".repeat(n)],
        [`${"*a".repeat(n / 2)}*b`, "a".repeat(n)],
        [`*${"ab".repeat(n / 4)}c`, "ab".repeat(n / 2)],
        [`a*${"aaab".repeat(n / 8)}*`, `a${"aaa".repeat(n / 2)}`],
      ] as const;

    it.each([256, 4_096, 16_384])(
      "stays within 3 x (id + glob) steps on adversarial inputs of %i characters",
      (n) => {
        for (const [glob, value] of evil(n)) {
          const meter: MatchMeter = { steps: 0 };

          expect(matchesGlob(compileGlob(glob), value, meter)).toBe(false);
          expect(meter.steps).toBeLessThanOrEqual(3 * (glob.length + value.length));
        }
      },
    );

    it("does linear work where the two-pointer backtracking matcher does quadratic work", () => {
      for (const [glob, value] of evil(4_096).slice(0, 2)) {
        const meter: MatchMeter = { steps: 0 };
        matchesGlob(compileGlob(glob), value, meter);

        // The baseline shows the input is adversarial: the same bound on it would fail.
        expect(backtrackingSteps(glob, value)).toBeGreaterThan(1_000_000);
        expect(meter.steps).toBeLessThan(3 * (glob.length + value.length));
      }
    });

    it("stays linear for a full scope of maximal globs against a maximal id", () => {
      const glob = `*${"a".repeat(MAX_GLOB_LENGTH - 3)}*b`;
      const scope = scopeOf(Array.from({ length: MAX_SCOPE_GLOBS }, () => glob));
      const meter: MatchMeter = { steps: 0 };

      expect(isInConsumerScope(scope, "a".repeat(256), meter)).toBe(false);
      expect(meter.steps).toBeLessThanOrEqual(MAX_SCOPE_GLOBS * 3 * (256 + MAX_GLOB_LENGTH));
    });
  });
});
