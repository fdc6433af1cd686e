import type * as z from "zod/mini";
import type { FieldProblem } from "./broker-error.ts";

/**
 * Turns zod issues into `{ path, problem }` pairs a caller can act on. Parse with
 * `{ reportInput: true }`: without the input, a wrong type cannot be told from a missing field. zod/mini ships no locale
 * (that is most of its size advantage), so the English wording is ours, built from issue codes.
 */
export function toFieldProblems(issues: readonly z.core.$ZodIssue[], prefix = ""): FieldProblem[] {
  return issues.flatMap((issue) => {
    const path = joinPath(prefix, issue.path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: joinPath(path, [key]), problem: "is not a known field" }));
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      return toFieldProblems(issue.errors.flat(), path);
    }
    return [{ path: path || "(body)", problem: describe(issue) }];
  });
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // A schema's own wording wins (environment variables state their accepted form).
      if (issue.message !== "Invalid input") return issue.message;
      return issue.input === undefined ? "is required" : `must be ${article(issue.expected)}`;
    case "too_big":
      return `must be at most ${issue.maximum} ${unit(issue.origin)}`;
    case "too_small":
      return `must be at least ${issue.minimum} ${unit(issue.origin)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "invalid_format":
      if (issue.format === "regex")
        return issue.message !== "Invalid input" ? issue.message : "has an invalid format";
      return `must be a valid ${issue.format}`;
    case "invalid_key":
      return issue.issues[0] ? `key ${describe(issue.issues[0])}` : "has an invalid key";
    default:
      // Custom refinements carry their own message; anything else falls back to zod's code.
      return issue.message !== "Invalid input" ? issue.message : `is invalid (${issue.code})`;
  }
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  const parts = path.map((segment) => (typeof segment === "number" ? `[${segment}]` : String(segment)));
  return [prefix, ...parts].filter(Boolean).join(".").replaceAll(".[", "[");
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function unit(origin: string): string {
  if (origin === "string") return "characters";
  if (origin === "array" || origin === "set") return "items";
  return "";
}
