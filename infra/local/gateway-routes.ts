import type { DevJwtIssuer } from "./dev-jwt.ts";
import type { GatewayRefusal } from "./gateway-answers.ts";
import type { IncomingHttpRequest } from "./http-api-event.ts";
import type { SigV4Verifier } from "./sigv4-verifier.ts";

/** A request as the gateway hands it to a route's authorizer: raw headers and body bytes included. */
export interface GatewayRequest extends IncomingHttpRequest {
  /** Node's `req.rawHeaders`, which a SigV4 signature covers. */
  readonly rawHeaders: readonly string[];
}

/** An authorizer's verdict: the `requestContext.authorizer` to hand the function, or the gateway's refusal. */
export type RouteDecision =
  | { readonly authorizer: Record<string, unknown> }
  | { readonly refused: GatewayRefusal };

/**
 * One route of the local HTTP API: its route key and its authorizer, which runs after the body is
 * read (a SigV4 signature covers it) and before the function. Adding a route is adding an entry.
 */
export interface GatewayRoute {
  /** `METHOD /path`, as API Gateway's `routeKey`. */
  readonly routeKey: string;
  authorize(request: GatewayRequest): Promise<RouteDecision>;
}

/** The account the local stack plays; the IAM authorizer context names it. */
export const LOCAL_ACCOUNT_ID = "000000000000";

/**
 * An AWS_IAM route: the request must carry a valid SigV4 signature for `execute-api` made with
 * the local caller credentials, else 403 with API Gateway's `{"message"}` (an unsigned request
 * reads "Forbidden", as on an HTTP API). The function then sees an `iam` authorizer context.
 */
export function iamRoute(path: string, verify: SigV4Verifier): GatewayRoute {
  return {
    routeKey: `POST ${path}`,
    async authorize(request) {
      const result = verify(request);
      if (!result.ok) {
        return {
          refused: {
            status: 403,
            message: result.failure === "missing" ? "Forbidden" : result.message,
            reason: `SigV4: ${result.failure}`,
            ...(result.accessKeyId !== undefined && { accessKeyId: result.accessKeyId }),
          },
        };
      }
      const userId = `AIDALOCAL${result.accessKeyId.slice(-8)}`;
      return {
        authorizer: {
          iam: {
            accessKey: result.accessKeyId,
            accountId: LOCAL_ACCOUNT_ID,
            callerId: userId,
            cognitoIdentity: null,
            principalOrgId: null,
            userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-caller`,
            userId,
          },
        },
      };
    },
  };
}

/**
 * A JWT-authorized route: the bearer token must verify against the development key (signature,
 * issuer, audience, expiry), else 401 `{"message":"Unauthorized"}`; only its verified claims reach
 * the function, as with API Gateway's JWT authorizer.
 */
export function jwtRoute(path: string, jwt: DevJwtIssuer): GatewayRoute {
  return {
    routeKey: `POST ${path}`,
    async authorize(request) {
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(request.headers.authorization ?? "");
      const claims = match?.[1] === undefined ? undefined : await jwt.verify(match[1]).catch(() => undefined);
      if (claims === undefined) {
        return { refused: { status: 401, message: "Unauthorized", reason: "JWT missing or invalid" } };
      }
      return { authorizer: { jwt: { claims, scopes: null } } };
    },
  };
}
