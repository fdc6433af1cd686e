import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionRequestFromBrokerKey } from "../../lambda/callers/broker-key-request.ts";
import type { ParsedHttpEvent } from "../../lambda/callers/http-request.ts";
import { RequestError } from "../../lambda/errors/request-errors.ts";
import { compileGlob, matchesGlob } from "../../lambda/session/consumer-scope.ts";
import brokerKeyCreateSession from "../events/http-api/broker-key-create-session.json" with { type: "json" };
import { testConfig } from "../lambda/fixtures.ts";
import { type AuthorizerHarness, startAuthorizerHarness } from "../support/authorizer-harness.ts";

describe("Adversarial: broker keys", () => {
  let harness: AuthorizerHarness;
  let good: string;

  beforeAll(async () => {
    harness = await startAuthorizerHarness();
    good = (await harness.createKey({ consumer_scope: ["*"] })).text;
  });

  afterAll(async () => {
    await harness.close();
  });

  it("refuses 500 arbitrary Authorization headers without a table read or an exception", async () => {
    const send = vi.spyOn(harness.dynamodb, "send");
    const header = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 80 }).map((s) => `Bearer ${s}`),
      fc.constantFrom(
        "Bearer",
        "Bearer ",
        "bearer\tvsb_",
        "Basic dnNiXw==",
        `Bearer ${good} `,
        ` Bearer ${good}`,
      ),
      fc.string({ maxLength: 60 }).map((s) => `Bearer vsb_${s}`),
    );

    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        expect(await harness.authorize(value)).toEqual({ isAuthorized: false });
      }),
      { numRuns: 500 },
    );
    expect(send).not.toHaveBeenCalled();
  });

  it("refuses 200 well-formed keys with random ids and secrets, each after one read", async () => {
    const send = vi.spyOn(harness.dynamodb, "send");
    const base32 = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz234567");
    const base62 = fc.constantFrom(..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    const key = fc
      .tuple(
        fc.oneof(fc.constant(good.slice(4, 16)), fc.string({ unit: base32, minLength: 12, maxLength: 12 })),
        fc.string({ unit: base62, minLength: 44, maxLength: 44 }),
      )
      .filter(([, secret]) => secret !== good.slice(17))
      .map(([id, secret]) => `vsb_${id}_${secret}`);

    await fc.assert(
      fc.asyncProperty(key, async (value) => {
        expect(await harness.authorize(`Bearer ${value}`)).toEqual({ isAuthorized: false });
      }),
      { numRuns: 200 },
    );
    expect(send).toHaveBeenCalledTimes(200);
    expect((await harness.authorize(`Bearer ${good}`)).isAuthorized).toBe(true);
  });

  it("answers any consumer id and scope with the session request or a 4xx, agreeing with the glob", () => {
    const unit = fc.constantFrom("a", "b", ":", "-", "*", " ", "\r", "\n", "é", ".");
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 12 }),
        fc.string({ unit, maxLength: 16 }),
        (scope, consumerId) => {
          const event = structuredClone(brokerKeyCreateSession) as unknown as ParsedHttpEvent & {
            requestContext: { authorizer: { lambda: Record<string, string> } };
          };
          event.requestContext.authorizer.lambda.consumerScope = scope;
          event.headers["x-apideck-consumer-id"] = consumerId;
          event.headers["x-apideck-app-id"] = testConfig.appId;
          try {
            const request = sessionRequestFromBrokerKey(event, testConfig, Date.now());
            // Allowed only if one of the scope's globs matches in full.
            expect(
              scope.split(",").some((glob) => matchesGlob(compileGlob(glob.trim()), request.consumerId)),
            ).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(RequestError);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
