// Keys that would reach an object's prototype if copied by assignment. JSON.parse makes them own
// properties, so a merge that copies blindly is how prototype pollution happens.
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `overrides` onto `base` into new objects: nested objects merge, arrays and scalars
 * replace, `undefined` leaves the base value. Neither input is changed; unsafe keys are skipped.
 */
export function mergeSessions<T extends object>(base: T, overrides: object): T {
  const result: PlainObject = {};
  for (const source of [base, overrides] as PlainObject[]) {
    for (const [key, value] of Object.entries(source)) {
      if (UNSAFE_KEYS.has(key) || value === undefined) continue;
      const current = result[key];
      result[key] =
        isPlainObject(current) && isPlainObject(value) ? mergeSessions(current, value) : clone(value);
    }
  }
  return result as T;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  return isPlainObject(value) ? mergeSessions({}, value) : value;
}

/** True when `session` has a value at the dotted `path` (e.g. `settings.sandbox_mode`). */
export function hasPath(session: object, path: string): boolean {
  let node: unknown = session;
  for (const key of path.split(".")) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key) || node[key] === undefined) return false;
    node = node[key];
  }
  return true;
}

/** A copy of `session` without the values at the dotted `paths` (for a parent path, all below it). */
export function omitPaths<T extends object>(session: T, paths: readonly string[]): T {
  const result = mergeSessions({}, session) as PlainObject;
  for (const path of paths) {
    const keys = path.split(".");
    const last = keys.pop() as string;
    let node: unknown = result;
    for (const key of keys) node = isPlainObject(node) ? node[key] : undefined;
    if (isPlainObject(node)) delete node[last];
  }
  return result as T;
}
