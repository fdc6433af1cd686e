import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { OpenedSession } from "../broker.ts";
import type { ErrorAnswer } from "../errors/mapping.ts";

/** Response header carrying the session's end (ISO 8601), so callers need not decode the token. */
export const SESSION_EXPIRES_HEADER = "x-vault-session-expires-at";

// A session URL is a bearer link: no cache anywhere may keep it, and no browser may sniff it.
const BASE_HEADERS = {
  "content-type": "application/json",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

/** 200 with Apideck's `CreateSessionResponse`, unchanged in shape, so every Apideck SDK parses it. */
export function sessionCreatedResponse(opened: OpenedSession): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: { ...BASE_HEADERS, [SESSION_EXPIRES_HEADER]: opened.expiresAt.toISOString() },
    body: JSON.stringify(opened.response),
  };
}

/** An Apideck-style error body (`status_code`, `error`, `type_name`, `message`, `detail`) plus `request_id`. */
export function errorResponse(answer: ErrorAnswer, requestId: string): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...BASE_HEADERS };
  if (answer.retryAfterSeconds !== undefined) headers["retry-after"] = String(answer.retryAfterSeconds);
  const body = {
    status_code: answer.statusCode,
    error: REASON_PHRASES[answer.statusCode] ?? "Error",
    type_name: answer.typeName,
    message: answer.message,
    ...(answer.detail !== undefined ? { detail: answer.detail } : {}),
    request_id: requestId,
  };
  return { statusCode: answer.statusCode, headers, body: JSON.stringify(body) };
}

const REASON_PHRASES: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
