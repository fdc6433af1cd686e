import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** What the local gateway knows about one HTTP request. */
export interface IncomingHttpRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

// API Gateway passes these content types as text; everything else arrives base64-encoded.
const TEXT_CONTENT_TYPE = /^(text\/|application\/(?:[\w.+-]+\+)?(?:json|xml|x-www-form-urlencoded))/i;

/**
 * Builds an HTTP API payload 2.0 event the way API Gateway does: lower-case headers with repeated
 * values joined by commas, `routeKey` of the matched route, and the authorizer's context.
 */
export function toHttpApiEvent(
  request: IncomingHttpRequest,
  routeKey: string,
  authorizer: Record<string, unknown> | undefined,
): APIGatewayProxyEventV2 {
  const [rawPath = "/", rawQueryString = ""] = request.url.split("?", 2);
  const now = new Date();
  const text = TEXT_CONTENT_TYPE.test(request.headers["content-type"] ?? "");
  const event = {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    headers: request.headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: request.headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: request.headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    },
    ...(request.body.length > 0
      ? { body: text ? request.body.toString("utf8") : request.body.toString("base64") }
      : {}),
    isBase64Encoded: request.body.length > 0 && !text,
  };
  return event as APIGatewayProxyEventV2;
}

/** Turns the handler's structured result into status, headers and body, as API Gateway does. */
export function fromHandlerResult(result: unknown): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const structured = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name] = String(value);
  const body = structured.isBase64Encoded
    ? Buffer.from(structured.body ?? "", "base64").toString()
    : (structured.body ?? "");
  return { status: structured.statusCode ?? 200, headers, body };
}
