import { apideckErrorBody } from "./apideck-error-bodies.ts";
import {
  defaultSessionSeconds,
  parseSessionLength,
  type SessionTokenFields,
  type SessionTokenIssuer,
} from "./apideck-session-token.ts";
import { jsonAnswer } from "./apideck-simulator-faults.ts";
import type { HttpAnswer } from "./loopback-server.ts";
import { validateSessionRequest } from "./vault-contract.ts";

/** What the route sees of a request: lower-cased headers, path without query, raw body text. */
export type RouteRequest = { method: string; path: string; headers: Record<string, string>; rawBody: string };

/** What Apideck would answer, the body as parsed (raw text when not JSON) and whether it was accepted. */
export type RouteOutcome = { answer: HttpAnswer; body: unknown; valid: boolean };

/**
 * The credentials the simulated Apideck application accepts, how it signs sessions, and the base URL
 * of the Hosted Vault its `session_uri` points at (`<hostedVaultUrl>/session/<token>`).
 */
export type RouteConfig = {
  apiKey: string;
  appId: string;
  issuer: SessionTokenIssuer;
  hostedVaultUrl: string;
};

const sessionsPath = "/vault/sessions";

/**
 * Answers a request the way `POST /vault/sessions` of vault.yml does, checking in Apideck's order:
 * route (404/405), API key (401), `x-apideck-app-id` (400 when missing, 404 when it names another
 * application), `x-apideck-consumer-id` (400), content type (422), JSON syntax and `Session` schema (400).
 */
export async function answerSessionsRoute(request: RouteRequest, config: RouteConfig): Promise<RouteOutcome> {
  const { headers } = request;
  const { body, isJson } = parseBody(request.rawBody);
  const fail = (status: number, detail: string, typeName?: string): RouteOutcome => ({
    answer: jsonAnswer(status, apideckErrorBody(status, detail, typeName === undefined ? {} : { typeName })),
    body,
    valid: false,
  });

  if (request.path !== sessionsPath) return fail(404, `Unknown route: ${request.method} ${request.path}`);
  if (request.method !== "POST") {
    const outcome = fail(405, `Method ${request.method} is not allowed on ${sessionsPath}`);
    outcome.answer.headers.allow = "POST";
    return outcome;
  }
  const authorization = headers.authorization;
  if (authorization === undefined || authorization === "") return fail(401, "Missing authentication");
  if (authorization !== `Bearer ${config.apiKey}`) return fail(401, "Invalid API key");
  const appId = headers["x-apideck-app-id"];
  if (!appId) return fail(400, "Missing Header: x-apideck-app-id", "RequestHeadersValidationError");
  // Apideck API keys belong to one application; vault.yml allows 401 or 404 here and we pick 404 so
  // that a misconfigured app id is distinguishable from a bad key in tests.
  if (appId !== config.appId) return fail(404, `Could not find application with id: '${appId}'`);
  const consumerId = headers["x-apideck-consumer-id"];
  if (!consumerId) return fail(400, "Missing Header: x-apideck-consumer-id", "RequestHeadersValidationError");

  let lengthSeconds = defaultSessionSeconds;
  if (request.rawBody !== "") {
    if (!/^application\/json\s*(;|$)/i.test(headers["content-type"] ?? "")) {
      // The detail is the spec's own example for UnprocessableResponse.
      return fail(422, "Unprocessable request, please verify your request headers and body.");
    }
    if (!isJson) return fail(400, "Request body is not valid JSON");
    const contract = validateSessionRequest(body);
    if (!contract.valid) return fail(400, contract.errors.join("; "));
    const requested = (body as { settings?: { session_length?: string } }).settings?.session_length;
    if (requested !== undefined) {
      const parsed = parseSessionLength(requested);
      if (parsed === undefined) {
        return fail(
          400,
          `body.settings.session_length '${requested}' must be like 30m, 1h or 7d (max 1 week)`,
        );
      }
      lengthSeconds = parsed;
    }
  }

  // Past the schema check the body is a valid `Session` (or absent): its fields go into the token.
  const session = isJson ? (body as SessionTokenFields) : undefined;
  const token = await config.issuer.issue({
    consumerId,
    applicationId: appId,
    lengthSeconds,
    ...(session && { session }),
  });
  const success = {
    status_code: 200,
    status: "OK",
    data: { session_uri: `${config.hostedVaultUrl}/session/${token}`, session_token: token },
  };
  return { answer: jsonAnswer(200, success), body, valid: true };
}

/** Parses JSON, keeping the raw text as the body when it is not JSON (so the record still shows it). */
function parseBody(raw: string): { body: unknown; isJson: boolean } {
  if (raw === "") return { body: undefined, isJson: false };
  try {
    return { body: JSON.parse(raw), isJson: true };
  } catch {
    return { body: raw, isJson: false };
  }
}
