import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeError } from "../../lambda/errors/mapping.ts";
import * as requestErrors from "../../lambda/errors/request-errors.ts";
import * as upstreamErrors from "../../lambda/errors/upstream-errors.ts";
import { API_KEY, type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// Finding 4 of issue 11: Apideck's 400/422 bodies went through verbatim, into a direct
// invocation's error message (what Step Functions stores as the failure cause), and Apideck's
// `type_name` became the thrown error's name. Here a hostile upstream answers with the broker's
// own error names, credentials and oversized fields; the caller must see only the README's names
// and only scrubbed, bounded data.

/** The `type_name`s of the README's error table: the only names a caller may ever see. */
function readmeErrorNames(): string[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Errors"), readme.indexOf("## Session policy"));
  return [...section.matchAll(/^\|[^|]*\|[^|]*\| `(\w+)` \|/gm)].map((match) => match[1] as string);
}

const BROKER_NAMES = ["RequestValidationError", "ForbiddenRequestError", "UpstreamTimeoutError"];
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZW5hbnQ6MSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";

/** Strings a hostile or careless upstream might echo into an error. */
const leakyText = fc.oneof(
  fc.constantFrom(
    `Bearer ${API_KEY}`,
    `key ${API_KEY} rejected`,
    `https://vault.apideck.com/session/${JWT}`,
    "sk_live_0123456789abcdef0123456789abcdef",
    "\u202egnirts\u202c",
    "line\r\nx-injected: 1",
  ),
  fc.string({ maxLength: 40 }),
);

const hostileBody = fc.record({
  status_code: fc.constantFrom(400, 422),
  type_name: fc.oneof(fc.constantFrom(...BROKER_NAMES, "InternalError", "<b>x</b>"), fc.string()),
  message: fc.oneof(
    leakyText,
    leakyText.map((text) => text.repeat(200)),
  ),
  detail: fc.oneof(
    leakyText,
    fc.dictionary(leakyText, fc.oneof(leakyText, fc.jsonValue({ maxDepth: 6 }))),
    fc.array(leakyText, { maxLength: 300 }),
  ),
});

/** What a caller may see: none of the credentials the hostile bodies carry. */
function expectNoCredentials(text: string): void {
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(JWT);
  expect(text).not.toContain("sk_live_");
  expect(text).not.toMatch(/\u202e|\r|\n/);
}

describe("Adversarial: upstream spoofing", () => {
  let harness: BrokerHarness;
  const names = readmeErrorNames();

  beforeEach(async () => {
    harness = await startBrokerHarness();
  });

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  it("reads the README's error table", () => {
    expect(names).toContain("UpstreamValidationError");
    expect(names).toContain("RequestValidationError");
    expect(names.length).toBeGreaterThan(10);
  });

  it("maps every error the function raises, and any Apideck status, to a name in the README's table", () => {
    const raised: unknown[] = [
      new requestErrors.MalformedJsonError(),
      new requestErrors.UnsupportedMediaTypeError(),
      new requestErrors.PayloadTooLargeError(16_384),
      new requestErrors.MissingConsumerIdError("consumer_id"),
      new requestErrors.RepeatedHeaderError("x-apideck-consumer-id"),
      new requestErrors.SessionValidationError([{ path: "a", problem: "b" }]),
      new requestErrors.ForbiddenRequestError("a", "b"),
      new requestErrors.RouteNotFoundError(),
      new upstreamErrors.UpstreamTimeoutError(),
      new upstreamErrors.UpstreamNetworkError(),
      new upstreamErrors.UpstreamInvalidResponseError("x"),
      ...Array.from(
        { length: 500 },
        (_, status) => new upstreamErrors.UpstreamHttpError(status + 100, { type_name: "Spoofed" }, 1),
      ),
      new Error("anything"),
      undefined,
    ];

    for (const error of raised) expect(names).toContain(describeError(error).typeName);
  });

  it.each(BROKER_NAMES)("answers under its own name when Apideck's 422 claims to be %s", async (typeName) => {
    harness.simulator.inject({ kind: "json", status: 422, body: { type_name: typeName, message: "x" } });

    const result = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "tenant:1" } });

    expect(result.statusCode).toBe(422);
    expect(result.body.type_name).toBe("UpstreamValidationError");
    expect(result.body.detail).toEqual({ upstream_type_name: typeName });
  });

  it("answers 400 and 422 over HTTP with scrubbed, bounded data only", async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        harness.simulator.inject({ kind: "json", status: body.status_code, body });

        const result = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "tenant:1" } });

        expect(result.statusCode).toBe(body.status_code);
        expect(result.body.type_name).toBe("UpstreamValidationError");
        expect(String(result.body.message).length).toBeLessThanOrEqual(540);
        expect(JSON.stringify(result.body.detail ?? {}).length).toBeLessThanOrEqual(2048 + 200);
        expectNoCredentials(result.raw);
      }),
      { numRuns: 150, seed: 0x11_0004 },
    );
  }, 60_000);

  it("throws only README error names from a direct invocation, with a bounded, scrubbed message", async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        harness.simulator.inject({ kind: "json", status: body.status_code, body });

        const error = (await harness.invoke({ consumer_id: "tenant:1" }).catch((e: unknown) => e)) as Error;

        expect(names).toContain(error.name);
        expect(error.name).toBe("UpstreamValidationError");
        expect(error.message.length).toBeLessThanOrEqual(540 + 2048 + 200);
        expectNoCredentials(`${error.message}${error.stack}`);
      }),
      { numRuns: 150, seed: 0x11_0005 },
    );
  }, 60_000);
});
