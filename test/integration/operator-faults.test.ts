import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { startSecretsManagerEndpoint } from "../../infra/local/secrets-manager-endpoint.ts";
import { composeHandler, SECRETS_MANAGER_CLIENT_CONFIG } from "../../lambda/compose-handler.ts";
import { loadConfig } from "../../lambda/config.ts";
import { createJsonLogger } from "../../lambda/json-logger.ts";
import type { TracedContext } from "../../lambda/request-context.ts";
import iamEvent from "../events/http-api/iam-create-session.json" with { type: "json" };
import { captureLogs } from "../support/log-capture.ts";

/** A loopback URL nothing listens on (a port just freed), so a connection there is refused at once. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** The production handler with `secretsManager` as its client and Apideck at `apideckBaseUrl`; one request. */
async function oneRequest(secretsManager: SecretsManagerClient, apideckBaseUrl: string) {
  const logs = captureLogs();
  const config = loadConfig({
    APIDECK_APP_ID: "test-app-id",
    APIDECK_SECRET_ID: "vault-session-broker/apideck-api-key",
    APIDECK_BASE_URL: apideckBaseUrl,
  });
  const logger = createJsonLogger({ serviceName: "vault-session-broker", level: "INFO", env: {} });
  const handler = composeHandler(config, { logger, secretsManager });
  const context = {
    awsRequestId: "r-1",
    functionName: "vault-session-broker",
    getRemainingTimeInMillis: () => 10_000,
  } as Context & TracedContext;
  try {
    const result = (await handler(structuredClone(iamEvent), context)) as APIGatewayProxyStructuredResultV2;
    const line = logs.lines().find((l) => l.message === "vault session request");
    return {
      status: result.statusCode,
      body: JSON.parse(result.body ?? "{}"),
      line,
      headers: result.headers,
    };
  } finally {
    logs.stop();
    secretsManager.destroy();
  }
}

describe("Integration: faults only the operator can fix, and faults that may clear", () => {
  it("answers a missing region with a 500, and logs what the operator must set", async () => {
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", undefined);
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/aws-config");

    const { status, body, line, headers } = await oneRequest(
      new SecretsManagerClient({ ...SECRETS_MANAGER_CLIENT_CONFIG, credentials }),
      await closedUrl(),
    );

    expect(status).toBe(500);
    expect(headers?.["retry-after"]).toBeUndefined();
    expect(body).toMatchObject({
      type_name: "InternalError",
      message: "The service is misconfigured; the operator can find the cause in the logs.",
    });
    expect(line).toMatchObject({
      level: "ERROR",
      outcome: "internal_error",
      error_name: "InternalError",
      error_class: "SecretAccessError",
      secret_read: "fetch",
      error_message: "Secrets Manager refused to return the Apideck API key (Region is missing).",
      operator_action: expect.stringMatching(/AWS_REGION/),
    });
  });

  it("answers an unreachable Secrets Manager with a 503 to retry, and logs the system error code", async () => {
    const { status, body, line } = await oneRequest(
      new SecretsManagerClient({
        ...SECRETS_MANAGER_CLIENT_CONFIG,
        region: "us-east-1",
        endpoint: await closedUrl(),
        credentials,
      }),
      await closedUrl(),
    );

    expect(status).toBe(503);
    expect(body.type_name).toBe("SecretUnavailableError");
    expect(line).toMatchObject({
      level: "WARN",
      error_name: "SecretUnavailableError",
      error_code: "ECONNREFUSED",
      secret_read: "fetch",
    });
    expect(line).not.toHaveProperty("operator_action");
  });

  it("logs the socket's error and its system error code when Apideck is unreachable", async () => {
    const endpoint = await startSecretsManagerEndpoint({
      secrets: { "vault-session-broker/apideck-api-key": "sk_test_0123456789abcdef" },
    });
    try {
      const { status, body, line } = await oneRequest(
        new SecretsManagerClient({
          ...SECRETS_MANAGER_CLIENT_CONFIG,
          region: "us-east-1",
          endpoint: endpoint.url,
          credentials: endpoint.credentials,
        }),
        await closedUrl(),
      );

      expect(status).toBe(502);
      expect(body.type_name).toBe("UpstreamNetworkError");
      expect(line).toMatchObject({
        error_name: "UpstreamNetworkError",
        secret_read: "fetch",
        error_cause: expect.stringMatching(/^Error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
        error_code: "ECONNREFUSED",
      });
    } finally {
      await endpoint.close();
    }
  });
});
