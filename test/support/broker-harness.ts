import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from "../../infra/local/secrets-manager-endpoint.ts";
import type { TracedContext } from "../../lambda/request-context.ts";
import iamEvent from "../events/http-api/iam-create-session.json" with { type: "json" };
import jwtEvent from "../events/http-api/jwt-create-session.json" with { type: "json" };
import { type HarnessTarget, type ManualClock, startHandler } from "./handler-under-test.ts";
import { captureLogs, findLeaks, type LogCapture } from "./log-capture.ts";

export type { HarnessTarget, ManualClock } from "./handler-under-test.ts";

export const APP_ID = "test-app-id";
export const SECRET_NAME = "vault-session-broker/apideck-api-key";
export const API_KEY = "sk_test_harness_0123456789abcdef";

/** Keys tests rotate to; also never to be logged. */
export const ROTATED_API_KEY = "sk_test_rotated_fedcba9876543210";
const harnessKeys = [API_KEY, ROTATED_API_KEY];

/** Options of `startBrokerHarness`: environment variables on top of the harness's own. */
export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly secretString?: string;
  /**
   * The function under test: the deployment bundle (what ships), or `lambda/` as source, whose
   * clock a test can move (`clock.advance`). @default "bundle"
   */
  readonly target?: HarnessTarget;
}

/** The real handler wired to a loopback Apideck simulator and Secrets Manager endpoint. */
export interface BrokerHarness {
  readonly simulator: ApideckSimulator;
  readonly secretsManager: SecretsManagerEndpoint;
  readonly clock: ManualClock;
  /** Everything the function logged since the harness started. */
  readonly logs: LogCapture;
  /**
   * The secrets that appear in the logs: the API key(s), any `Bearer` credential, and every
   * session token and URL the handler returned. Every test expects this to be empty.
   */
  leakedSecrets(): string[];
  /** Sends an IAM-route request; `body` is sent as JSON text unless it is already a string. */
  postVaultSessions(init?: HttpInit): Promise<HttpResult>;
  /** Sends a JWT-route request with `claims` as the authorizer's verified claims. */
  postSessions(init?: HttpInit & { claims?: Record<string, unknown> }): Promise<HttpResult>;
  /** Invokes the function directly, as Step Functions would. */
  invoke(payload: unknown, remainingMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

export interface HttpInit {
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly remainingMs?: number;
  /** Other top-level event fields to set (`rawQueryString`, `queryStringParameters`, `isBase64Encoded`, ...). */
  readonly event?: Record<string, unknown>;
}

export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

/**
 * Starts the simulators and the function against them: by default the deployment bundle, with a
 * fresh cold start, its real Secrets Manager SDK client over HTTP and real `fetch` to the
 * simulator; with `target: "source"`, `lambda/` composed here with an injected clock.
 */
export async function startBrokerHarness(options: HarnessOptions = {}): Promise<BrokerHarness> {
  const logs = captureLogs();
  const issued = new Set<string>([API_KEY, "Bearer "]);
  const simulator = await startApideckSimulator({ apiKey: API_KEY, appId: APP_ID });
  const secretsManager = await startSecretsManagerEndpoint({
    secrets: { [SECRET_NAME]: options.secretString ?? JSON.stringify({ apiKey: API_KEY }) },
  });
  const env = {
    APIDECK_APP_ID: APP_ID,
    APIDECK_SECRET_ID: SECRET_NAME,
    APIDECK_BASE_URL: simulator.url,
    ...options.env,
  };
  let underTest: Awaited<ReturnType<typeof startHandler>>;
  try {
    underTest = await startHandler(options.target ?? "bundle", env, secretsManager);
  } catch (error) {
    logs.stop();
    await Promise.all([simulator.close(), secretsManager.close()]);
    throw error;
  }
  const { handler, clock } = underTest;

  const http = async (template: unknown, init: HttpInit, authorizer?: unknown): Promise<HttpResult> => {
    const event = structuredClone(template) as Record<string, unknown> & {
      requestContext: Record<string, unknown>;
    };
    event.headers = { ...(event.headers as object), ...init.headers };
    if (init.body === undefined) delete event.body;
    else event.body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    Object.assign(event, init.event);
    if (authorizer !== undefined) event.requestContext.authorizer = authorizer;
    const result = (await handler(event, context(init.remainingMs))) as APIGatewayProxyStructuredResultV2;
    const raw = result.body ?? "";
    rememberIssued(raw);
    return {
      statusCode: result.statusCode ?? 0,
      headers: (result.headers ?? {}) as Record<string, string>,
      body: JSON.parse(raw) as Record<string, unknown>,
      raw,
    };
  };

  const rememberIssued = (raw: string) => {
    for (const match of raw.matchAll(/"session_(?:uri|token)":"([^"]+)"/g))
      if (match[1]) issued.add(match[1]);
  };

  return {
    simulator,
    secretsManager,
    clock,
    logs,
    leakedSecrets: () => findLeaks(logs.text(), [...issued, ...harnessKeys]),
    postVaultSessions: (init = {}) => http(iamEvent, init),
    postSessions: ({ claims = { sub: "jwt-consumer" }, ...init } = {}) =>
      http(jwtEvent, init, { jwt: { claims, scopes: null } }),
    invoke: async (payload, remainingMs) => {
      const result = await handler(payload, context(remainingMs));
      rememberIssued(JSON.stringify(result));
      return result;
    },
    async close() {
      logs.stop();
      underTest.dispose();
      await Promise.all([simulator.close(), secretsManager.close()]);
    },
  };
}

function context(remainingMs = 10_000): Context & TracedContext {
  const deadline = Date.now() + remainingMs;
  return {
    awsRequestId: "11111111-2222-3333-4444-555555555555",
    functionName: "vault-session-broker",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as Context & TracedContext;
}
