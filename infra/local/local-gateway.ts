import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import {
  type GatewayRefusal,
  gatewayAnswer,
  INTEGRATION_FAILED,
  logRefusal,
  NOT_FOUND,
  TOO_LARGE,
} from "./gateway-answers.ts";
import type { GatewayRequest, GatewayRoute } from "./gateway-routes.ts";
import { fromHandlerResult, toHttpApiEvent } from "./http-api-event.ts";
import { lambdaContext } from "./lambda-context.ts";
import { createLocalCors } from "./local-cors.ts";
import {
  flattenHeaders,
  type HttpAnswer,
  type LoopbackServer,
  readBodyBytes,
  startLoopbackServer,
  writeAnswer,
} from "./loopback-server.ts";

/** A Lambda handler as the runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Options of `startLocalGateway`. */
export interface LocalGatewayOptions {
  readonly handler: LambdaHandler;
  /** The API's routes, each with its authorizer (see gateway-routes.ts); nothing else is served. */
  readonly routes: readonly GatewayRoute[];
  /** Browser origins allowed by CORS, as the `corsOrigins` context key. @default [] (no CORS) */
  readonly corsOrigins?: readonly string[];
  /** Region of the Lambda context's ARN. @default "us-east-1" */
  readonly region?: string;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** The deployed function's timeout, so `getRemainingTimeInMillis` behaves as in Lambda. @default 15000 */
  readonly functionTimeoutMs?: number;
}

/** HTTP API's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Plays API Gateway (HTTP API, payload 2.0) in front of the handler, on loopback, in its order:
 * a CORS preflight is answered first (before any route or authorizer); then the route is matched,
 * the body read (up to 10 MB), the route's authorizer run, and only then the function invoked.
 * Every answer the gateway gives itself is `{"message": ...}` JSON and is logged on stderr.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LoopbackServer> {
  const { handler, functionTimeoutMs = 15_000, region = "us-east-1" } = options;
  const routes = new Map(options.routes.map((route) => [route.routeKey, route]));
  const cors = createLocalCors(options.corsOrigins ?? []);

  return startLoopbackServer(async (req, res) => {
    const headers = flattenHeaders(req);
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const routeKey = `${method} ${url.split("?", 1)[0]}`;
    const requestId = randomUUID();
    const send = (answer: HttpAnswer) => {
      const withCors = cors ? cors.apply(answer, headers.origin) : answer;
      withCors.headers["apigw-requestid"] = requestId;
      writeAnswer(res, withCors);
    };
    const refuse = (refusal: GatewayRefusal) => {
      logRefusal(refusal, routeKey, requestId);
      send(gatewayAnswer(refusal.status, refusal.message));
    };

    if (cors?.isPreflight(method, headers)) {
      const { answer, refused } = cors.preflight(headers);
      if (refused !== undefined)
        logRefusal({ status: answer.status, message: "", reason: refused }, routeKey, requestId);
      answer.headers["apigw-requestid"] = requestId;
      return writeAnswer(res, answer);
    }
    const route = routes.get(routeKey);
    if (route === undefined) return refuse(NOT_FOUND);

    let body: Buffer;
    try {
      body = await readBodyBytes(req, MAX_PAYLOAD_BYTES);
    } catch {
      return refuse(TOO_LARGE);
    }
    const request: GatewayRequest = {
      method,
      url,
      headers,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? "",
    };
    const decision = await route.authorize(request);
    if ("refused" in decision) return refuse(decision.refused);

    const event = toHttpApiEvent(request, routeKey, decision.authorizer);
    event.requestContext.requestId = requestId;
    const deadline = Date.now() + functionTimeoutMs;
    try {
      send(
        fromHandlerResult(
          await handler(
            event,
            lambdaContext(() => deadline - Date.now(), region),
          ),
        ),
      );
    } catch {
      refuse(INTEGRATION_FAILED);
    }
  }, options.port);
}
