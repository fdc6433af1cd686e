import fc from "fast-check";
import { ALLOW_ACTIONS, UNIFIED_API_IDS } from "../../lambda/session/schema.ts";
import {
  anyJson,
  anyText,
  compact,
  optional,
  pollutingValue,
  strayKey,
  UNSAFE_KEYS,
  withOwnKey,
} from "./json-arbitraries.ts";
import { badDisplayName, NAME_FIELD_PATHS, URL_FIELD_PATHS, urlTrick } from "./trust-arbitraries.ts";

// `Session` bodies for the adversarial fuzz: built valid, field by field, then given zero to two
// mutations: a wrong value or type, a redirect trick, a stray or prototype-polluting key.

/** Text a `Session` text field accepts: 1 to 40 printable graphemes of any script. */
const fieldText = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });

/** Redirect URIs the operator's allow-list in the fuzz accepts, and plain https ones it does not. */
const goodRedirectUri = fc.oneof(
  fc.constantFrom(
    "https://app.example.com/done",
    "https://app.example.com/settings?tab=integrations#vault",
    "https://APP.example.com:443/x",
    "https://partner.example/done",
  ),
  fc.constantFrom("https://elsewhere.example/callback", "https://partner.example/done/other"),
);

/** Redirect URIs no policy accepts (plain http is refused unless loopback redirects are on). */
const REDIRECT_TRICKS = [
  "javascript:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  "http://app.example.com/done",
  "http://localhost:5173/callback",
  "https://app.example.com@evil.example/",
  "https://evil.example\\@app.example.com",
  "https://app.example.com%2eevil.example/",
  "https://аpp.example.com/done",
  "https://xn--pp-8cd.example.com/",
  "https://app.example.com /done",
  "https://app.example.com\r\n.evil.example/",
  "//evil.example/done",
] as const;

const badRedirectUri = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REDIRECT_TRICKS, "https://app.example.com.evil.example/") },
  { weight: 2, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("https://app.example.com/", "https://"), anyText)
      .map(([a, b]) => a + b),
  },
);

const goodSessionLength = fc.constantFrom("15m", "30m", "1800s", "90s", "1h", "7d");
const badSessionLength = fc.oneof(
  fc.constantFrom("8d", "0m", "1w", "90", "1H", " 1h", "01m", "1h ", "-1m", "1e3s"),
  fc
    .tuple(fc.integer({ min: 0, max: 20_000_000 }), fc.constantFrom("s", "m", "h", "d", "w", ""))
    .map(([amount, unit]) => `${amount}${unit}`),
);

const goodColor = fc.constantFrom("#286efa", "#FFF", "red", "rgb(1, 2, 3)", "hsla(10, 20%, 30%, 0.5)");

/** Email addresses zod and Apideck both accept. */
export const goodEmail = fc.constantFrom(
  "ada@example.com",
  "grace.hopper@navy.example",
  "x+tag@sub.example.org",
);
const goodImage = fc.constantFrom("https://cdn.example.com/a.png", "https://img.example/x.jpg");

/** A custom_consumer_settings object: free-form JSON, unicode and nesting included. */
const customSettings = fc.dictionary(fc.string({ unit: "grapheme", maxLength: 12 }), anyJson, { maxKeys: 4 });

/** A `Session` the schema accepts, built field by field from valid values. */
export const validSession: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    consumer_metadata: optional(
      fc.record({
        account_name: optional(fieldText),
        user_name: optional(fieldText),
        email: optional(goodEmail),
        image: optional(goodImage),
      }),
      3,
    ),
    redirect_uri: optional(goodRedirectUri),
    settings: optional(
      fc.record({
        unified_apis: optional(
          fc.oneof(
            { weight: 4, arbitrary: fc.subarray(["crm", "hris", "accounting"]) },
            { weight: 1, arbitrary: fc.subarray([...UNIFIED_API_IDS]) },
          ),
        ),
        session_length: optional(goodSessionLength),
        sandbox_mode: optional(fc.boolean(), 1, 4),
        show_logs: optional(fc.boolean()),
        hide_guides: optional(fc.boolean()),
        allow_actions: optional(fc.subarray([...ALLOW_ACTIONS])),
      }),
    ),
    theme: optional(fc.record({ primary_color: optional(goodColor), vault_name: optional(fieldText) }), 1, 5),
    custom_consumer_settings: optional(customSettings, 1, 2),
  })
  .map(compact);

/** Dotted paths of `Session` a mutation may overwrite. */
const SESSION_PATHS = [
  "consumer_metadata",
  "consumer_metadata.account_name",
  "consumer_metadata.email",
  "consumer_metadata.image",
  "redirect_uri",
  "settings",
  "settings.unified_apis",
  "settings.session_length",
  "settings.sandbox_mode",
  "settings.allow_actions",
  "theme",
  "theme.primary_color",
  "theme.logo",
  "theme.vault_name",
  "custom_consumer_settings",
] as const;

type Mutation =
  | { kind: "set"; path: string; value: unknown }
  | {
      kind: "stray";
      where: "top" | "settings" | "theme" | "consumer_metadata" | "custom_consumer_settings";
      key: string;
      value: unknown;
    };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constant("redirect_uri"),
      value: badRedirectUri,
    }),
  },
  // Issue 11: every URL field gets the redirect tricks' cousins, every name the hidden characters.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constantFrom(...URL_FIELD_PATHS),
      value: urlTrick,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constantFrom(...NAME_FIELD_PATHS),
      value: badDisplayName,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constant("settings.session_length"),
      value: badSessionLength,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constant("settings.unified_apis"),
      value: fc.array(fc.constantFrom<string>(...UNIFIED_API_IDS, "nope", "CRM", "__proto__"), {
        maxLength: 30,
      }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constantFrom(...SESSION_PATHS),
      value: anyJson,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("stray" as const),
      where: fc.constantFrom("top", "settings", "theme", "consumer_metadata", "custom_consumer_settings"),
      key: strayKey,
      value: fc.oneof(pollutingValue, anyJson),
    }),
  },
  // custom_consumer_settings is free-form, so these pass validation and reach the merge: it must drop them.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      path: fc.constantFrom("custom_consumer_settings", "custom_consumer_settings.nested"),
      value: fc
        .tuple(fc.constantFrom(...UNSAFE_KEYS), pollutingValue)
        .map(([key, value]) => withOwnKey({ kept: 1 }, key, value)),
    }),
  },
);

function applyMutation(session: Record<string, unknown>, change: Mutation): void {
  if (change.kind === "stray") {
    const parent = change.where === "top" ? session : session[change.where];
    const target = typeof parent === "object" && parent !== null && !Array.isArray(parent) ? parent : session;
    withOwnKey(target, change.key, change.value);
    return;
  }
  const keys = change.path.split(".");
  const last = keys.pop() as string;
  let node = session;
  for (const key of keys) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = change.value;
}

/**
 * A `Session`-shaped body: valid about a third of the time, otherwise with one or two mutations,
 * stray keys (`__proto__` among them) added as own properties, as `JSON.parse` would make them.
 */
export const sessionBody: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(validSession, fc.array(mutation, { maxLength: 2 }))
  .map(([valid, changes]) => {
    const session = structuredClone(valid);
    for (const change of changes) applyMutation(session, change);
    return session;
  });
