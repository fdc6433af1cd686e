import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { AUTHORIZER_CACHE_TTL_SECONDS } from "../../infra/broker-key-settings.ts";
import type { GatewayRequest } from "../../infra/local/gateway-routes.ts";
import { type AuthorizerHandler, lambdaAuthorizerRoute } from "../../infra/local/lambda-authorizer-route.ts";

function request(authorization: string | undefined, extra: Record<string, string> = {}): GatewayRequest {
  const headers: Record<string, string> = {
    host: "127.0.0.1:3000",
    "content-type": "application/json",
    "x-apideck-consumer-id": "tenant-a:1",
    ...extra,
  };
  if (authorization !== undefined) headers.authorization = authorization;
  return {
    method: "POST",
    url: "/sdk/vault/sessions?x=1",
    headers,
    rawHeaders: [],
    body: Buffer.from("{}"),
    sourceIp: "127.0.0.1",
  };
}

function setup(answer: AuthorizerHandler = async () => ({ isAuthorized: true, context: { keyId: "k" } })) {
  let clock = Date.UTC(2026, 10, 22);
  const authorizer = vi.fn(answer);
  const route = lambdaAuthorizerRoute("/sdk/vault/sessions", { authorizer, now: () => clock });
  return { route, authorizer, advance: (ms: number) => (clock += ms) };
}

describe("Local: Lambda authorizer route", () => {
  it("answers 401 without invoking the authorizer when the Authorization header is missing or empty", async () => {
    const { route, authorizer } = setup();

    expect(await route.authorize(request(undefined))).toMatchObject({
      refused: { status: 401, message: "Unauthorized" },
    });
    expect(await route.authorize(request(""))).toMatchObject({ refused: { status: 401 } });
    expect(authorizer).not.toHaveBeenCalled();
  });

  it("hands the function the authorizer's context as requestContext.authorizer.lambda", async () => {
    const { route } = setup();

    expect(await route.authorize(request("Bearer a"))).toEqual({ authorizer: { lambda: { keyId: "k" } } });
  });

  it("sends a REQUEST event (payload 2.0) with the identity source, headers and no body", async () => {
    const { route, authorizer } = setup();

    await route.authorize(request("Bearer a"));

    const event = authorizer.mock.calls[0]?.[0] as APIGatewayRequestAuthorizerEventV2;
    expect(event).toMatchObject({
      version: "2.0",
      type: "REQUEST",
      routeKey: "POST /sdk/vault/sessions",
      rawPath: "/sdk/vault/sessions",
      rawQueryString: "x=1",
      identitySource: ["Bearer a"],
      routeArn: "arn:aws:execute-api:us-east-1:000000000000:local/$default/POST/sdk/vault/sessions",
      headers: { authorization: "Bearer a", "x-apideck-consumer-id": "tenant-a:1" },
      requestContext: { http: { method: "POST", path: "/sdk/vault/sessions" }, stage: "$default" },
    });
    expect(event).not.toHaveProperty("body");
  });

  it(`caches an allow per Authorization value for ${AUTHORIZER_CACHE_TTL_SECONDS} s, then asks again`, async () => {
    const { route, authorizer, advance } = setup();

    await route.authorize(request("Bearer a"));
    advance(AUTHORIZER_CACHE_TTL_SECONDS * 1000 - 1);
    await route.authorize(request("Bearer a"));
    await route.authorize(request("Bearer b"));
    expect(authorizer).toHaveBeenCalledTimes(2);

    advance(1);
    await route.authorize(request("Bearer a"));
    expect(authorizer).toHaveBeenCalledTimes(3);
    expect(route.invocations).toBe(3);
  });

  it("caches a refusal as well: 403 Forbidden until the TTL ends", async () => {
    const { route, authorizer } = setup(async () => ({ isAuthorized: false }));

    const first = await route.authorize(request("Bearer a"));
    const second = await route.authorize(request("Bearer a"));

    expect(first).toMatchObject({ refused: { status: 403, message: "Forbidden" } });
    expect(second).toEqual(first);
    expect(authorizer).toHaveBeenCalledTimes(1);
  });

  const failures: [string, AuthorizerHandler][] = [
    ["throws", async () => Promise.reject(new Error("table unreachable"))],
    ["answers isAuthorized as a string", async () => ({ isAuthorized: "true" })],
    ["answers nothing", async () => undefined],
    ["puts an object in the context", async () => ({ isAuthorized: true, context: { scope: ["a"] } })],
  ];
  it.each(failures)("answers 500 and caches nothing when the authorizer %s", async (_name, answer) => {
    const { route, authorizer } = setup(answer);

    expect(await route.authorize(request("Bearer a"))).toMatchObject({
      refused: { status: 500, message: "Internal Server Error" },
    });
    await route.authorize(request("Bearer a"));
    expect(authorizer).toHaveBeenCalledTimes(2);
  });

  it("answers 500 when the authorizer takes longer than API Gateway waits", async () => {
    vi.useFakeTimers();
    try {
      const { route } = setup(() => new Promise(() => {}));
      const decision = route.authorize(request("Bearer a"));
      await vi.advanceTimersByTimeAsync(10_000);

      expect(await decision).toMatchObject({ refused: { status: 500 } });
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not cache with a TTL of 0", async () => {
    const authorizer = vi.fn<AuthorizerHandler>(async () => ({ isAuthorized: true, context: {} }));
    const route = lambdaAuthorizerRoute("/sdk/vault/sessions", { authorizer, ttlSeconds: 0 });

    await route.authorize(request("Bearer a"));
    await route.authorize(request("Bearer a"));

    expect(authorizer).toHaveBeenCalledTimes(2);
  });
});
