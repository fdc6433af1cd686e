// Prototype-pollution detector: records the own properties of the built-in prototypes a polluting
// merge would write to, and later names every property that was added, removed or changed.

const WATCHED = {
  "Object.prototype": Object.prototype,
  "Array.prototype": Array.prototype,
  "Function.prototype": Function.prototype,
};

type Descriptors = Map<string | symbol, PropertyDescriptor>;

/** The own property descriptors of `Object.prototype`, `Array.prototype` and `Function.prototype`. */
export type PrototypeSnapshot = ReadonlyMap<string, Descriptors>;

/** Takes a snapshot; call it before the code under test runs. */
export function snapshotPrototypes(): PrototypeSnapshot {
  return new Map(
    Object.entries(WATCHED).map(([name, target]) => [
      name,
      new Map(
        Reflect.ownKeys(target).map((key) => [key, Object.getOwnPropertyDescriptor(target, key) ?? {}]),
      ),
    ]),
  );
}

const SAME_FIELDS = ["value", "get", "set", "writable", "enumerable", "configurable"] as const;

/** Names each property (`Object.prototype.polluted`) that differs from `before`; empty when nothing changed. */
export function prototypeChanges(before: PrototypeSnapshot): string[] {
  const changes: string[] = [];
  for (const [name, target] of Object.entries(WATCHED)) {
    const then = before.get(name) ?? new Map();
    const keys = new Set([...then.keys(), ...Reflect.ownKeys(target)]);
    for (const key of keys) {
      const was = then.get(key);
      const is = Object.getOwnPropertyDescriptor(target, key);
      const same =
        was !== undefined &&
        is !== undefined &&
        SAME_FIELDS.every((field) => Object.is(was[field], is[field]));
      if (!same) changes.push(`${name}.${String(key)}`);
    }
  }
  return changes;
}

/** The `markers` that a fresh object, array or function inherits from somewhere: all should be absent. */
export function inheritedMarkers(markers: readonly string[]): string[] {
  const fresh: Record<string, unknown>[] = [
    {},
    [] as unknown as Record<string, unknown>,
    Object.create(Object.prototype),
  ];
  return markers.filter((marker) => fresh.some((value) => value[marker] !== undefined || marker in value));
}
