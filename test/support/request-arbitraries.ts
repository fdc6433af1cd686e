import fc from "fast-check";
import {
  anyJson,
  anyText,
  compact,
  optional,
  pollutingValue,
  strayKey,
  withOwnKey,
} from "./json-arbitraries.ts";
import { goodEmail, sessionBody } from "./session-arbitraries.ts";
import { backtrackingBait, commaConsumerId, oversizedInvocation } from "./trust-arbitraries.ts";

// Whole requests for the adversarial fuzz: HTTP bodies, headers (repeated ones joined as API
// Gateway joins them), query strings, JWT claims and direct-invocation payloads.

/** Body text of an HTTP request: mostly a session; sometimes any JSON, broken JSON, or nothing. */
export const bodyText: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 16, arbitrary: sessionBody.map((body) => JSON.stringify(body)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3, stringUnit: "binary" }) },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: sessionBody.map((body) => JSON.stringify(body).slice(0, -1)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      "",
      "null",
      "{}",
      "[]",
      '"{}"',
      "0",
      "true",
      '{"theme":{},"theme":null}',
    ),
  },
);

/** A consumer id Apideck accepts. */
export const goodConsumerId = fc.stringMatching(/^[a-z0-9][\w:.@|-]{0,40}$/);

/** A consumer id: good, empty, too long, with control characters or CRLF, or any Latin-1 text. */
export const consumerId: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: goodConsumerId },
  // Latin-1 only: beyond U+00FF the id cannot be an HTTP header value (see the report on issue #4).
  { weight: 2, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "a\r\nx-evil: 1",
      "tenant\n",
      "\u0000",
      "a\u0085b",
      "ümlaut-ö",
      " lead",
      "trail ",
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 300 }).map((n) => "c".repeat(n)) },
  // Issue 11: two tenants in one id, and ids built to stall a backtracking matcher.
  { weight: 1, arbitrary: commaConsumerId },
  { weight: 1, arbitrary: backtrackingBait },
);

/** The value of a header as API Gateway delivers it: one value, or repeated values joined with ", ". */
export function repeatedHeader(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: value },
    {
      weight: 1,
      arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }).map((values) => values.join(", ")),
    },
  );
}

/** `content-type` values: mostly JSON; sometimes not, or a repeated header. */
export const contentType = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/vnd.api+json",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "Application/JSON",
      "application/json, application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ),
  },
);

/** Query strings a caller might hope the handler reads. */
export const queryString = fc.oneof(
  fc.constant<Record<string, string> | undefined>(undefined),
  fc.record({ consumer_id: consumerId }),
  fc.dictionary(
    fc.constantFrom("consumer_id", "x-apideck-consumer-id", "app_id", "__proto__", "sub"),
    anyText,
    { maxKeys: 3 },
  ),
);

/** Turns query parameters into the two fields of a payload 2.0 event. */
export function queryEventFields(query: Record<string, string> | undefined): Record<string, unknown> {
  if (query === undefined) return {};
  const rawQueryString = Object.entries(query)
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key.toWellFormed())}=${encodeURIComponent(value.toWellFormed())}`,
    )
    .join("&");
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) withOwnKey(queryStringParameters, key, value);
  return { rawQueryString, queryStringParameters };
}

/** Verified JWT claims as the authorizer passes them: the subject may be odd, missing or not a string. */
export const jwtClaims: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    sub: optional(
      fc.oneof(
        { weight: 8, arbitrary: consumerId },
        // Junk stays Latin-1 when it is a string (see consumerId).
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1, stringUnit: "binary-ascii" }) },
      ),
      12,
    ),
    email: optional(fc.oneof(goodEmail, fc.emailAddress(), anyText)),
    name: optional(anyText),
    consumer_id: optional(consumerId),
  })
  .map(compact);

/** A direct invocation's payload: usually `{ consumer_id, session }`, sometimes with strays or anything at all. */
export const invocationPayload: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        consumer_id: fc.oneof(
          { weight: 8, arbitrary: consumerId },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2, stringUnit: "binary-ascii" }) },
        ),
        session: optional(
          fc.oneof({ weight: 8, arbitrary: sessionBody }, { weight: 1, arbitrary: anyJson }),
          8,
        ),
      })
      .map(compact),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(consumerId, sessionBody, strayKey, pollutingValue)
      .map(([id, session, key, value]) => withOwnKey({ consumer_id: id, session }, key, value)),
  },
  { weight: 1, arbitrary: anyJson },
  // Issue 11: Lambda takes megabytes; the 16 KB bound must hold here too.
  { weight: 1, arbitrary: oversizedInvocation },
);
