import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type SecretsManagerEndpoint,
  type SecretsManagerFault,
  startSecretsManagerEndpoint,
} from "../../../infra/local/secrets-manager-endpoint.ts";
import { SecretAccessError, SecretUnavailableError } from "../../../lambda/errors/configuration-errors.ts";
import { classifySecretFailure } from "../../../lambda/secret/read-failure.ts";

const SECRET = "vault-session-broker/apideck-api-key";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** What the real SDK client throws for one GetSecretValue made with `config`. */
async function sdkFailure(config: ConstructorParameters<typeof SecretsManagerClient>[0]): Promise<unknown> {
  const client = new SecretsManagerClient({ maxAttempts: 1, ...config });
  try {
    await client.send(new GetSecretValueCommand({ SecretId: SECRET }));
  } catch (error) {
    return error;
  } finally {
    client.destroy();
  }
  throw new Error("the read succeeded");
}

// Errors as the real SDK client throws them, against the loopback endpoint that answers AWS's
// error types, a closed port, or no region at all.
describe("Unit: classifySecretFailure", () => {
  let endpoint: SecretsManagerEndpoint;
  const failing = async (fault: SecretsManagerFault) => {
    endpoint.inject(fault);
    return classifySecretFailure(
      await sdkFailure({
        region: "us-east-1",
        endpoint: endpoint.url,
        credentials: endpoint.credentials,
        requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
      }),
    );
  };

  beforeAll(async () => {
    endpoint = await startSecretsManagerEndpoint({ secrets: { [SECRET]: "sk_test_0123456789" } });
  });

  afterAll(async () => {
    await endpoint.close();
  });

  it.each([
    ["ResourceNotFoundException", "Check APIDECK_SECRET_ID"],
    ["AccessDeniedException", "secretsmanager:GetSecretValue"],
    ["DecryptionFailure", "kms:Decrypt"],
  ] as const)("makes %s the operator's: SecretAccessError, with what to change", async (type, action) => {
    const error = await failing({ kind: "error", type });

    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error.message).toBe(`Secrets Manager refused to return the Apideck API key (${type}).`);
    expect((error as SecretAccessError).operatorAction).toContain(action);
  });

  it.each([
    ["ThrottlingException", { kind: "error", type: "ThrottlingException" }, "ThrottlingException"],
    ["a 5xx", { kind: "error", type: "InternalServiceError" }, "InternalServiceError"],
    ["a dropped connection", { kind: "down" }, "TimeoutError, ECONNRESET"],
    ["a hang past the request timeout", { kind: "hang", ms: 2_000 }, "TimeoutError, ETIMEDOUT"],
  ] as const)("makes %s SecretUnavailableError, which may clear", async (_, fault, reason) => {
    const error = await failing(fault);

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.message).toBe(`Secrets Manager is unavailable (${reason}).`);
  });

  it("makes credentials the endpoint does not know the operator's, telling them to fix the credentials", async () => {
    const error = classifySecretFailure(
      await sdkFailure({ region: "us-east-1", endpoint: endpoint.url, credentials }),
    );

    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error.message).toBe(
      "Secrets Manager refused to return the Apideck API key (UnrecognizedClientException).",
    );
    expect((error as SecretAccessError).operatorAction).toContain("valid AWS credentials");
  });

  it("makes a refused connection SecretUnavailableError, naming the system error", async () => {
    const error = classifySecretFailure(
      await sdkFailure({ region: "us-east-1", endpoint: "http://127.0.0.1:1", credentials }),
    );

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.message).toBe(
      "Secrets Manager is unavailable (connect ECONNREFUSED 127.0.0.1:1, ECONNREFUSED).",
    );
  });

  // The SDK throws before sending anything: no retry can help, so it is no outage.
  it("makes a missing region the operator's, telling them to set it", async () => {
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", undefined);
    // A developer's own AWS config must not lend the client a region.
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/aws-config");

    const error = classifySecretFailure(await sdkFailure({ credentials }));

    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error.message).toBe("Secrets Manager refused to return the Apideck API key (Region is missing).");
    expect((error as SecretAccessError).operatorAction).toMatch(/AWS_REGION/);
  });

  it.each([
    ["CredentialsProviderError", "AWS credentials"],
    ["UnrecognizedClientException", "AWS credentials"],
    ["InvalidRequestException", "scheduled for deletion"],
  ])("makes %s the operator's", (name, action) => {
    const error = classifySecretFailure(Object.assign(new Error("simulated"), { name, $fault: "client" }));

    expect(error).toBeInstanceOf(SecretAccessError);
    expect((error as SecretAccessError).operatorAction).toContain(action);
  });

  it.each([
    ["an unknown error", new TypeError("x is not a function")],
    ["something that is not an Error", "boom"],
  ])("makes %s the operator's (never a retry-later answer for what nobody understands)", (_, thrown) => {
    expect(classifySecretFailure(thrown)).toBeInstanceOf(SecretAccessError);
  });
});
