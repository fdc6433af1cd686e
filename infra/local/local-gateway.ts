import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import type { DevJwtIssuer } from "./dev-jwt.ts";
import { fromHandlerResult, toHttpApiEvent } from "./http-api-event.ts";
import {
  flattenHeaders,
  type LoopbackServer,
  readBody,
  startLoopbackServer,
  writeAnswer,
} from "./loopback-server.ts";

/** A Lambda handler as the runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Options of `startLocalGateway`. */
export interface LocalGatewayOptions {
  readonly handler: LambdaHandler;
  readonly jwt: DevJwtIssuer;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** The deployed function's timeout, so `getRemainingTimeInMillis` behaves as in Lambda. @default 15000 */
  readonly functionTimeoutMs?: number;
}

// API Gateway's own answers, in shape: routes it does not know, callers it rejects, its failures.
const gatewayAnswer = (status: number, message: string) => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ message }),
});
const NOT_FOUND = gatewayAnswer(404, "Not Found");
const UNAUTHORIZED = gatewayAnswer(401, "Unauthorized");
const TOO_LARGE = gatewayAnswer(413, "Request Entity Too Large");
const INTERNAL = gatewayAnswer(500, "Internal Server Error");

/** HTTP API's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Plays API Gateway in front of the handler, on loopback: the two routes the stack deploys.
 * `POST /vault/sessions` stands for the IAM-authorized route (every local caller counts as a signed
 * AWS principal); `POST /sessions` verifies the bearer JWT against the development key, and only
 * its verified claims reach the handler, as with API Gateway's JWT authorizer.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LoopbackServer> {
  const { handler, jwt, functionTimeoutMs = 15_000 } = options;

  return startLoopbackServer(async (req, res) => {
    const headers = flattenHeaders(req);
    const path = (req.url ?? "/").split("?", 1)[0];
    const routeKey = `${req.method} ${path}`;
    if (routeKey !== "POST /vault/sessions" && routeKey !== "POST /sessions")
      return writeAnswer(res, NOT_FOUND);

    let authorizer: Record<string, unknown>;
    if (routeKey === "POST /sessions") {
      const claims = await verifiedClaims(jwt, headers.authorization);
      if (claims === undefined) return writeAnswer(res, UNAUTHORIZED);
      authorizer = { jwt: { claims, scopes: null } };
    } else {
      authorizer = {
        iam: { accountId: "000000000000", userArn: "arn:aws:iam::000000000000:user/local-caller" },
      };
    }

    let body: Buffer;
    try {
      body = Buffer.from(await readBody(req, MAX_PAYLOAD_BYTES), "utf8");
    } catch {
      return writeAnswer(res, TOO_LARGE);
    }
    const event = toHttpApiEvent(
      {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers,
        body,
        sourceIp: req.socket.remoteAddress ?? "",
      },
      routeKey,
      authorizer,
    );
    const deadline = Date.now() + functionTimeoutMs;
    const context = lambdaContext(() => deadline - Date.now());
    try {
      const answer = fromHandlerResult(await handler(event, context));
      answer.headers["apigw-requestid"] = event.requestContext.requestId;
      writeAnswer(res, answer);
    } catch {
      // The function failed instead of answering: API Gateway hides the error behind a bare 500.
      writeAnswer(res, INTERNAL);
    }
  }, options.port);
}

async function verifiedClaims(jwt: DevJwtIssuer, authorization: string | undefined) {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? "");
  if (match?.[1] === undefined) return undefined;
  try {
    return await jwt.verify(match[1]);
  } catch {
    return undefined;
  }
}

function lambdaContext(getRemainingTimeInMillis: () => number): Context {
  return {
    awsRequestId: randomUUID(),
    callbackWaitsForEmptyEventLoop: false,
    functionName: "vault-session-broker-local",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:vault-session-broker-local",
    logGroupName: "/aws/lambda/vault-session-broker-local",
    logStreamName: "local",
    memoryLimitInMB: "256",
    getRemainingTimeInMillis,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
