import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { toFieldProblems } from "../../../lambda/errors/field-problems.ts";

/** Parses `input` with `schema` and turns the issues into field problems. */
function problems(schema: z.ZodMiniType, input: unknown, prefix?: string) {
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  return toFieldProblems(parsed.error.issues, prefix);
}

describe("Unit: zod problems", () => {
  it("returns no problems for no issues", () => {
    expect(toFieldProblems([])).toEqual([]);
  });

  it("says a missing field is required", () => {
    expect(problems(z.object({ name: z.string() }), {})).toEqual([{ path: "name", problem: "is required" }]);
  });

  it("turns each unknown key into its own problem, with its full path", () => {
    const schema = z.strictObject({ settings: z.strictObject({ known: z.optional(z.string()) }) });

    expect(problems(schema, { top: 1, settings: { a: 1, b: 2 } })).toEqual(
      expect.arrayContaining([
        { path: "top", problem: "is not a known field" },
        { path: "settings.a", problem: "is not a known field" },
        { path: "settings.b", problem: "is not a known field" },
      ]),
    );
    expect(problems(schema, { top: 1, settings: { a: 1, b: 2 } })).toHaveLength(3);
  });

  it("writes array indexes in brackets", () => {
    const schema = z.object({ list: z.array(z.object({ id: z.enum(["a", "b"]) })) });

    expect(problems(schema, { list: [{ id: "a" }, { id: "c" }] })).toEqual([
      { path: "list[1].id", problem: "must be one of: a, b" },
    ]);
  });

  it("names the body itself when the problem is at the root", () => {
    expect(problems(z.string().check(z.minLength(2)), "a")).toEqual([
      { path: "(body)", problem: "must be at least 2 characters" },
    ]);
  });

  it.each([
    ["a string too long", z.string().check(z.maxLength(3)), "abcd", "must be at most 3 characters"],
    ["an array too short", z.array(z.number()).check(z.minLength(1)), [], "must be at least 1 items"],
    ["an array too long", z.array(z.number()).check(z.maxLength(1)), [1, 2], "must be at most 1 items"],
    ["an invalid email", z.email(), "nope", "must be a valid email"],
    ["a regex mismatch", z.string().check(z.regex(/^\d+$/)), "x", "has an invalid format"],
    ["a bad enum", z.enum(["x", "y"]), "z", "must be one of: x, y"],
    ["a literal", z.literal(1), 2, "must be one of: 1"],
  ])("describes %s", (_, schema, input, problem) => {
    expect(problems(schema, input)).toEqual([{ path: "(body)", problem }]);
  });

  it("uses a refinement's own message", () => {
    const schema = z.object({ when: z.string().check(z.refine(() => false, "must be in the future")) });

    expect(problems(schema, { when: "yesterday" })).toEqual([
      { path: "when", problem: "must be in the future" },
    ]);
  });

  it("falls back to the issue code when a refinement has no message", () => {
    const schema = z.object({ when: z.string().check(z.refine(() => false)) });

    expect(problems(schema, { when: "yesterday" })).toEqual([
      { path: "when", problem: "is invalid (custom)" },
    ]);
  });

  it("flattens a union's alternatives under the union's path", () => {
    const schema = z.object({
      owner: z.union([z.object({ user: z.string() }), z.object({ team: z.string() })]),
    });

    expect(problems(schema, { owner: {} })).toEqual([
      { path: "owner.user", problem: "is required" },
      { path: "owner.team", problem: "is required" },
    ]);
  });

  it("prepends a prefix to every path", () => {
    const schema = z.strictObject({ inner: z.array(z.string().check(z.minLength(1))) });

    expect(problems(schema, { inner: [""], other: 1 }, "session")).toEqual([
      { path: "session.inner[0]", problem: "must be at least 1 characters" },
      { path: "session.other", problem: "is not a known field" },
    ]);
  });
});
