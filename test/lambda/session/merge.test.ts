import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasPath, mergeSessions } from "../../../lambda/session/merge.ts";
import { prototypeChanges, snapshotPrototypes } from "../../support/prototype-snapshot.ts";

/** Objects as JSON.parse makes them, so `__proto__` is an own key, not the prototype. */
const json = <T = Record<string, unknown>>(text: string) => JSON.parse(text) as T;

/** Every key of `value` at any depth. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...allKeys(child)]);
}

describe("Unit: session merge", () => {
  describe("mergeSessions", () => {
    it("merges nested objects, the override winning key by key", () => {
      const base = { settings: { show_logs: false, sandbox_mode: true }, theme: { vault_name: "Acme" } };
      const overrides = { settings: { show_logs: true }, redirect_uri: "https://app.example.com/done" };

      expect(mergeSessions(base, overrides)).toEqual({
        settings: { show_logs: true, sandbox_mode: true },
        theme: { vault_name: "Acme" },
        redirect_uri: "https://app.example.com/done",
      });
    });

    it("replaces arrays instead of concatenating them", () => {
      expect(
        mergeSessions(
          { settings: { unified_apis: ["crm", "hris"] } },
          { settings: { unified_apis: ["ats"] } },
        ),
      ).toEqual({ settings: { unified_apis: ["ats"] } });
    });

    it("replaces an object with a scalar and a scalar with an object", () => {
      expect(mergeSessions({ a: { b: 1 }, c: 2 }, { a: "x", c: { d: 3 } })).toEqual({ a: "x", c: { d: 3 } });
    });

    it("leaves the base value where the override is undefined, and keeps null", () => {
      expect(mergeSessions({ a: 1, b: 2 }, { a: undefined, b: null })).toEqual({ a: 1, b: null });
    });

    it("changes neither input and shares no object with them", () => {
      const base = {
        settings: { unified_apis: ["crm"] },
        custom_consumer_settings: { rates: [{ id: "6" }] },
      };
      const overrides = { theme: { vault_name: "Acme" } };
      const before = structuredClone({ base, overrides });

      const merged = mergeSessions(base, overrides) as typeof base & typeof overrides;
      merged.settings.unified_apis.push("hris");
      (merged.custom_consumer_settings.rates[0] as { id: string }).id = "21";
      merged.theme.vault_name = "Changed";

      expect({ base, overrides }).toEqual(before);
    });

    it.each([
      ["__proto__ at the top", '{"__proto__":{"polluted":true},"a":1}'],
      ["__proto__ one level down", '{"settings":{"__proto__":{"polluted":true}}}'],
      ["__proto__ inside an array", '{"list":[{"__proto__":{"polluted":true}}]}'],
      ["constructor.prototype", '{"constructor":{"prototype":{"polluted":true}}}'],
      ["prototype", '{"prototype":{"polluted":true}}'],
    ])("skips %s and pollutes nothing", (_name, text) => {
      const prototypes = snapshotPrototypes();

      const merged = mergeSessions({ settings: {} }, json(text));

      expect(allKeys(merged)).not.toContain("__proto__");
      expect(allKeys(merged)).not.toContain("constructor");
      expect(allKeys(merged)).not.toContain("prototype");
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
      expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
      expect(prototypeChanges(prototypes)).toEqual([]);
    });

    it("skips unsafe keys in the base too", () => {
      const merged = mergeSessions(json('{"__proto__":{"isAdmin":true},"a":1}'), {});

      expect(merged).toEqual({ a: 1 });
      expect((merged as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it("never writes an unsafe key or pollutes a prototype, whatever the JSON", () => {
      const prototypes = snapshotPrototypes();
      const unsafe = fc.constantFrom("__proto__", "constructor", "prototype");
      const key = fc.oneof(unsafe, fc.string({ maxLength: 6 }));
      const value = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          fc.jsonValue({ maxDepth: 0 }),
          fc.array(tie("node"), { maxLength: 3 }),
          fc.dictionary(key, tie("node"), { maxKeys: 4 }),
        ),
      })).node;
      // Through JSON text, so that `__proto__` keys are own properties, as in a request body.
      const object = fc.dictionary(key, value, { maxKeys: 5 }).map((o) => json(JSON.stringify(o)));

      fc.assert(
        fc.property(object, object, (base, overrides) => {
          const merged = mergeSessions(base, overrides);
          expect(
            allKeys(merged).filter((k) => ["__proto__", "constructor", "prototype"].includes(k)),
          ).toEqual([]);
        }),
        { numRuns: 500, seed: 0x5e55 },
      );

      expect(prototypeChanges(prototypes)).toEqual([]);
    });

    it("is the identity with an empty override, for JSON without unsafe keys", () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })), (base) => {
          const clean = json(
            JSON.stringify(base).replaceAll(/"(__proto__|constructor|prototype)":/g, '"k":'),
          );
          expect(mergeSessions(clean, {})).toEqual(clean);
        }),
        { numRuns: 300, seed: 0x5e56 },
      );
    });
  });

  describe("hasPath", () => {
    const session = {
      theme: { vault_name: "Acme" },
      settings: { sandbox_mode: false, show_logs: undefined },
    };

    it.each([
      ["theme", true],
      ["theme.vault_name", true],
      ["settings.sandbox_mode", true],
      ["settings", true],
      ["settings.show_logs", false],
      ["settings.unified_apis", false],
      ["redirect_uri", false],
      ["theme.vault_name.length", false],
      ["toString", false],
      ["constructor", false],
      ["__proto__", false],
      ["settings.hasOwnProperty", false],
    ])("says %s is %s", (path, expected) => {
      expect(hasPath(session, path)).toBe(expected);
    });

    it("counts a false, null or empty value as set", () => {
      expect(hasPath({ settings: { sandbox_mode: false } }, "settings.sandbox_mode")).toBe(true);
      expect(hasPath({ theme: {} }, "theme")).toBe(true);
      expect(hasPath({ theme: null }, "theme")).toBe(true);
    });

    it("does not look through arrays or into inherited properties", () => {
      expect(hasPath({ settings: [{ sandbox_mode: true }] }, "settings.0.sandbox_mode")).toBe(false);
      expect(hasPath(Object.create({ theme: { vault_name: "x" } }) as object, "theme")).toBe(false);
    });

    it("sees an own __proto__ key as JSON.parse makes it", () => {
      expect(hasPath(json('{"__proto__":{"a":1}}'), "__proto__.a")).toBe(true);
    });
  });
});
