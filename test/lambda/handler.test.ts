import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from "../../infra/local/secrets-manager-endpoint.ts";
import iamEvent from "../events/http-api/iam-create-session.json" with { type: "json" };
import { runHandlerProcess } from "../support/handler-process.ts";

const APP_ID = "test-app-id";
const SECRET_NAME = "vault-session-broker/apideck-api-key";
const API_KEY = "sk_test_handler_0123456789abcdef";
const TRACE_HEADER = "Root=1-6921b3d0-0f1e2d3c4b5a69788796a5b4;Parent=53995c3f42cd8ad8;Sampled=1";

const request = (body: unknown) => ({ ...structuredClone(iamEvent), body: JSON.stringify(body) });

// The real entry point (lambda/handler.ts: config, logger, compose, Middy chain) in its own process,
// configured only through the environment, against the loopback stand-ins.
describe("Entry: lambda/handler.ts", () => {
  let simulator: ApideckSimulator;
  let secretsManager: SecretsManagerEndpoint;
  let env: Record<string, string>;

  beforeAll(async () => {
    simulator = await startApideckSimulator({ apiKey: API_KEY, appId: APP_ID });
    secretsManager = await startSecretsManagerEndpoint({
      secrets: { [SECRET_NAME]: JSON.stringify({ apiKey: API_KEY }) },
    });
    env = {
      APIDECK_APP_ID: APP_ID,
      APIDECK_SECRET_ID: SECRET_NAME,
      APIDECK_BASE_URL: simulator.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_REGION: "us-east-1",
      // The endpoint verifies SigV4 against the credentials it was started with.
      AWS_ACCESS_KEY_ID: secretsManager.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretsManager.credentials.secretAccessKey,
      // What the stack sets today; Lambda's own level must still win over it.
      POWERTOOLS_LOG_LEVEL: "INFO",
      _X_AMZN_TRACE_ID: TRACE_HEADER,
    };
  });

  afterAll(async () => {
    await Promise.all([simulator.close(), secretsManager.close()]);
  });

  /** An upstream failure (a WARN line), a success and a validation error (INFO lines when allowed). */
  const threeRequests = () => {
    simulator.reset();
    simulator.inject(...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 500 })));
    return [
      { event: request({}) },
      { event: request({ redirect_uri: "https://app.example.com/done" }) },
      { event: request({ redirect_uri: "not a url" }) },
    ];
  };

  it("logs at Lambda's level: with AWS_LAMBDA_LOG_LEVEL=WARN it prints no INFO line", async () => {
    const run = await runHandlerProcess({
      env: { ...env, AWS_LAMBDA_LOG_LEVEL: "WARN" },
      invocations: threeRequests(),
    });

    expect(
      run.outcomes.map((o) => ("result" in o ? (o.result as { statusCode: number }).statusCode : o)),
    ).toEqual([502, 200, 422]);
    expect(run.lines().map((line) => [line.level, line.message, line.outcome])).toEqual([
      [
        "WARN",
        "Current log level (INFO) does not match AWS Lambda Advanced Logging Controls minimum log level (WARN). This can lead to data loss, consider adjusting them.",
        undefined,
      ],
      ["WARN", "vault session request", "upstream_error"],
    ]);
    expect(run.stdout).not.toContain('"level":"INFO"');
  });

  it("prints one INFO line per request without AWS_LAMBDA_LOG_LEVEL, each with the X-Ray trace id", async () => {
    const run = await runHandlerProcess({ env, invocations: threeRequests() });

    expect(run.lines().map((line) => [line.level, line.outcome, line.xray_trace_id])).toEqual([
      ["WARN", "upstream_error", "1-6921b3d0-0f1e2d3c4b5a69788796a5b4"],
      ["INFO", "ok", "1-6921b3d0-0f1e2d3c4b5a69788796a5b4"],
      ["INFO", "client_error", "1-6921b3d0-0f1e2d3c4b5a69788796a5b4"],
    ]);
  });

  it("fails its cold start with one line naming every invalid variable, printed once by the runtime, no stack", async () => {
    const run = await runHandlerProcess({
      env: { ...env, UPSTREAM_TIMEOUT_MS: "50", MAX_SESSION_LENGTH: "8d", SESSION_DEFAULTS: "{bad" },
    });

    const problems = [
      "UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 29000",
      'SESSION_DEFAULTS must be JSON: a partial Session object, e.g. {"theme":{"vault_name":"Acme"}}',
      "MAX_SESSION_LENGTH must be a duration like 30m, 1h or 7d (s, m, h or d), at most 7d",
    ];
    const message = `Invalid configuration, the function cannot start: ${problems.join("; ")}.`;
    // The function logs nothing itself: the one line is the runtime's.
    expect(run.lines()).toEqual([
      {
        timestamp: expect.any(String),
        level: "ERROR",
        message: {
          errorType: "InvalidEnvironmentError",
          errorMessage: message,
          stackTrace: [`InvalidEnvironmentError: ${message}`],
        },
      },
    ]);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toBe("");
    expect(run.initError).toEqual({
      errorType: "InvalidEnvironmentError",
      errorMessage: message,
      trace: [`InvalidEnvironmentError: ${message}`],
    });
  });
});
