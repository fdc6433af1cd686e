import fc from "fast-check";

// Building blocks for the adversarial fuzz: JSON values with unusual strings, deep nesting and
// prototype-polluting keys. Everything is JSON, as API Gateway and the Lambda runtime deliver it.

/** Keys that reach an object's prototype when a merge copies them by assignment. */
export const UNSAFE_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Property names the polluting payloads try to plant on `Object.prototype`; probes check them. */
export const POLLUTION_MARKERS = ["polluted", "isAdmin", "sandbox_mode"] as const;

/** Sets `key` as an own enumerable property, even `__proto__`, the way `JSON.parse` does. */
export function withOwnKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

/** Values a polluting key carries: what it would plant on the prototype. */
export const pollutingValue = fc.constantFrom<unknown>(
  { polluted: "yes" },
  { isAdmin: true, polluted: 1 },
  { prototype: { polluted: true } },
  { sandbox_mode: false, settings: { sandbox_mode: false } },
);

/** Deeply nested arrays or objects, up to `maxDepth` levels (the merge recurses once per level). */
export function deepNesting(maxDepth: number): fc.Arbitrary<unknown> {
  return fc.tuple(fc.integer({ min: 1, max: maxDepth }), fc.boolean()).map(([depth, arrays]) => {
    let value: unknown = "leaf";
    for (let level = 0; level < depth; level++) value = arrays ? [value] : { a: value };
    return value;
  });
}

// Depth stays far below the recursion limit of session-merge.ts: see the report on issue #4.
const MAX_NESTING = 300;

const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 4,
});

/** Strings of up to 20,000 repeated characters: past every length bound, and past the 16 KB body limit. */
export const hugeString = fc
  .tuple(
    fc.constantFrom("a", "é", "😀", '"', "\\", "\u0000", "\u202e", " "),
    fc.integer({ min: 250, max: 20_000 }),
  )
  .map(([char, count]) => char.repeat(count));

/** Any text: printable graphemes, every code point, Latin-1 with control characters, lone surrogates, huge. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 4, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 40 }) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: hugeString },
);

/** Any JSON value, small or deeply nested, with any strings. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: "binary" }) },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: deepNesting(MAX_NESTING) },
);

/** `arbitrary` or `undefined`, weighted `present` to `absent`. */
export function optional<T>(
  arbitrary: fc.Arbitrary<T>,
  present = 1,
  absent = 1,
): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: present, arbitrary });
}

/** Removes `undefined` values, as JSON would. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A key that is not part of `Session` wherever it lands, polluting ones included. */
export const strayKey = fc.oneof(
  fc.constantFrom(
    ...UNSAFE_KEYS,
    "consumer_id",
    "x-apideck-consumer-id",
    "app_id",
    "toString",
    "hasOwnProperty",
  ),
  fc.string({ unit: "binary", maxLength: 12 }),
);
