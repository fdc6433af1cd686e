import { randomUUID } from "node:crypto";
import type { APIGatewayRequestAuthorizerEventV2, Context } from "aws-lambda";
import { AUTHORIZER_CACHE_TTL_SECONDS, AUTHORIZER_TIMEOUT_MS } from "../broker-key-settings.ts";
import type { GatewayRequest, GatewayRoute, RouteDecision } from "./gateway-routes.ts";
import { toHttpApiEvent } from "./http-api-event.ts";
import { lambdaContext } from "./lambda-context.ts";

/** A Lambda authorizer as the runtime calls it. */
export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
  context: Context,
) => Promise<unknown>;

/** Options of `lambdaAuthorizerRoute`. */
export interface LambdaAuthorizerRouteOptions {
  readonly authorizer: AuthorizerHandler;
  /** Seconds an answer is cached per `Authorization` value; 0 disables caching. @default AUTHORIZER_CACHE_TTL_SECONDS */
  readonly ttlSeconds?: number;
  /** Region of the route ARN and the Lambda context. @default "us-east-1" */
  readonly region?: string;
  /** The cache's clock, read per call. @default () => Date.now() */
  readonly now?: () => number;
}

/** A route with a Lambda authorizer, and what the cache did (for tests and the README's claims). */
export interface LambdaAuthorizerRoute extends GatewayRoute {
  /** How many times the authorizer function ran. */
  readonly invocations: number;
}

// The cache holds at most this many identities, dropping the oldest: a flood of random keys
// must not grow the local process without bound.
const MAX_CACHED = 10_000;

const FORBIDDEN = { status: 403, message: "Forbidden" } as const;
const UNAUTHORIZED = { status: 401, message: "Unauthorized" } as const;
const AUTHORIZER_FAILED = { status: 500, message: "Internal Server Error" } as const;

/**
 * An HTTP API route behind a Lambda REQUEST authorizer (payload format 2.0, simple responses),
 * played as API Gateway does: the identity source `$request.header.Authorization` must be present
 * and non-empty, else 401 without invoking the authorizer; `{ isAuthorized: false }` is 403
 * `Forbidden`; an authorizer that throws, times out or answers anything but a boolean
 * `isAuthorized` is 500, and that is never cached. Answers, allow and deny alike, are cached per
 * Authorization value for the TTL, so a revoked key works locally exactly as long as deployed. The
 * function receives the authorizer's `context` as `requestContext.authorizer.lambda`.
 */
export function lambdaAuthorizerRoute(
  path: string,
  options: LambdaAuthorizerRouteOptions,
): LambdaAuthorizerRoute {
  const { authorizer, region = "us-east-1", now = () => Date.now() } = options;
  const ttlMs = (options.ttlSeconds ?? AUTHORIZER_CACHE_TTL_SECONDS) * 1000;
  const routeKey = `POST ${path}`;
  const cache = new Map<string, { decision: RouteDecision; until: number }>();
  let invocations = 0;

  const invoke = async (request: GatewayRequest, identity: string): Promise<RouteDecision | undefined> => {
    invocations++;
    const event = authorizerEvent(request, routeKey, identity, region);
    const context = {
      ...lambdaContext(() => AUTHORIZER_TIMEOUT_MS, region),
      functionName: "vault-session-broker-authorizer-local",
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), AUTHORIZER_TIMEOUT_MS);
    });
    try {
      const result = await Promise.race([authorizer(event, context), timeout]);
      const isAuthorized = (result as { isAuthorized?: unknown } | undefined)?.isAuthorized;
      if (typeof isAuthorized !== "boolean") return undefined;
      if (!isAuthorized) return { refused: { ...FORBIDDEN, reason: "authorizer refused" } };
      const lambda = (result as { context?: Record<string, unknown> }).context ?? {};
      // API Gateway accepts only flat context values; anything else fails the request.
      if (!Object.values(lambda).every((value) => ["string", "number", "boolean"].includes(typeof value)))
        return undefined;
      return { authorizer: { lambda } };
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    routeKey,
    get invocations() {
      return invocations;
    },
    async authorize(request) {
      const identity = request.headers.authorization ?? "";
      if (identity === "") return { refused: { ...UNAUTHORIZED, reason: "identity source missing" } };
      const cached = cache.get(identity);
      if (cached !== undefined && cached.until > now()) return cached.decision;
      cache.delete(identity);
      const decision = await invoke(request, identity);
      if (decision === undefined)
        return { refused: { ...AUTHORIZER_FAILED, reason: "the authorizer failed" } };
      if (ttlMs > 0) {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
        cache.set(identity, { decision, until: now() + ttlMs });
      }
      return decision;
    },
  };
}

/** The REQUEST authorizer event (payload 2.0): the request without its body, and the identity values. */
function authorizerEvent(
  request: GatewayRequest,
  routeKey: string,
  identity: string,
  region: string,
): APIGatewayRequestAuthorizerEventV2 {
  const {
    body: _body,
    isBase64Encoded: _encoded,
    version,
    ...rest
  } = toHttpApiEvent(request, routeKey, undefined);
  const [method, path] = routeKey.split(" ");
  return {
    ...rest,
    version,
    type: "REQUEST",
    routeArn: `arn:aws:execute-api:${region}:000000000000:local/$default/${method}${path}`,
    identitySource: [identity],
    cookies: rest.cookies ?? [],
    requestContext: { ...rest.requestContext, requestId: randomUUID() },
  } as APIGatewayRequestAuthorizerEventV2;
}
