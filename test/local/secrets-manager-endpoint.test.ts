import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from "@aws-sdk/client-secrets-manager";
import { AwsClient } from "aws4fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from "../../infra/local/secrets-manager-endpoint.ts";

const secretName = "vault-session-broker/apideck-api-key";
const fixedNow = Date.UTC(2025, 0, 1, 12, 0, 0);
const credentials = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
const AWS_JSON = "application/x-amz-json-1.1";

let endpoint: SecretsManagerEndpoint;
const clients: SecretsManagerClient[] = [];

/** A real SDK client pointed at the endpoint, without retries unless asked. */
function client(config: SecretsManagerClientConfig = {}): SecretsManagerClient {
  const created = new SecretsManagerClient({
    region: "us-east-1",
    endpoint: endpoint.url,
    credentials,
    maxAttempts: 1,
    ...config,
  });
  clients.push(created);
  return created;
}

/** Sends a raw AWS JSON 1.1 request, for what the SDK would never send. */
function rawPost(headers: Record<string, string>, body = `{"SecretId":"${secretName}"}`) {
  return fetch(`${endpoint.url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "secretsmanager.GetSecretValue",
      ...headers,
    },
    body,
  });
}

/** Sends a GetSecretValue signed by aws4fetch with `signer`, optionally changed after signing. */
async function signedPost(
  signer: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  init: {
    headers?: Record<string, string>;
    datetime?: string;
    region?: string;
    tamper?: (r: Request) => Request;
  } = {},
) {
  const aws = new AwsClient({ ...signer, service: "secretsmanager", region: init.region ?? "us-east-1" });
  const signed = await aws.sign(`${endpoint.url}/`, {
    method: "POST",
    headers: { "content-type": AWS_JSON, "x-amz-target": "secretsmanager.GetSecretValue", ...init.headers },
    body: `{"SecretId":"${secretName}"}`,
    ...(init.datetime !== undefined && { aws: { datetime: init.datetime } }),
  });
  return fetch(init.tamper ? init.tamper(signed) : signed);
}

/** A signing time `minutes` away from now, in SigV4's format. */
const amzDate = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, "");

/** Reads an AWS JSON error body. */
function awsError(response: Response): Promise<{ __type: string; Message: string }> {
  return response.json() as Promise<{ __type: string; Message: string }>;
}

const get = (secretId = secretName) => new GetSecretValueCommand({ SecretId: secretId });

beforeEach(async () => {
  endpoint = await startSecretsManagerEndpoint({
    secrets: { [secretName]: "sk_initial" },
    now: () => fixedNow,
    credentials,
  });
});

afterEach(async () => {
  for (const created of clients.splice(0)) created.destroy();
  await endpoint.close();
});

describe("Local: Secrets Manager endpoint", () => {
  describe("GetSecretValue", () => {
    it("returns the secret with the fields AWS returns", async () => {
      const result = await client().send(get());

      expect(result).toMatchObject({
        Name: secretName,
        SecretString: "sk_initial",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: new Date(fixedNow),
      });
      expect(result.ARN).toMatch(
        /^arn:aws:secretsmanager:us-east-1:000000000000:secret:vault-session-broker\/apideck-api-key-[A-Za-z0-9]{6}$/,
      );
      expect(result.VersionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.$metadata.requestId).toBeDefined();
    });

    it("finds the secret by full and by partial ARN", async () => {
      const arn = endpoint.arn(secretName) ?? "";
      const partial = arn.slice(0, -7);

      const byArn = await client().send(get(arn));
      const byPartial = await client().send(get(partial));

      expect([byArn.SecretString, byPartial.SecretString]).toEqual(["sk_initial", "sk_initial"]);
    });

    it("throws ResourceNotFoundException for an unknown secret", async () => {
      const error = await client()
        .send(get("missing"))
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error).toMatchObject({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: { httpStatusCode: 400 },
      });
    });

    it("serves a new version after putSecret", async () => {
      const before = await client().send(get());
      endpoint.putSecret(secretName, "sk_rotated");
      const after = await client().send(get());

      expect(after.SecretString).toBe("sk_rotated");
      expect(after.VersionId).not.toBe(before.VersionId);
      expect(after.ARN).toBe(before.ARN);
    });

    it("counts GetSecretValue calls and records each call's target, secret and signer", async () => {
      await client().send(get());
      await client().send(get());
      await client().send(new DescribeSecretCommand({ SecretId: secretName }));

      expect(endpoint.getSecretValueCalls).toBe(2);
      expect(endpoint.calls).toEqual([
        { target: "secretsmanager.GetSecretValue", secretId: secretName, accessKeyId: "AKIDLOCAL" },
        { target: "secretsmanager.GetSecretValue", secretId: secretName, accessKeyId: "AKIDLOCAL" },
        { target: "secretsmanager.DescribeSecret", secretId: secretName, accessKeyId: "AKIDLOCAL" },
      ]);
    });

    it("forgets calls and faults and restores the initial secrets on reset", async () => {
      endpoint.putSecret(secretName, "sk_rotated");
      endpoint.putSecret("other", "value");
      await client().send(get());
      endpoint.inject({ kind: "down" });

      endpoint.reset();

      expect(endpoint.getSecretValueCalls).toBe(0);
      expect((await client().send(get())).SecretString).toBe("sk_initial");
      await expect(client().send(get("other"))).rejects.toBeInstanceOf(ResourceNotFoundException);
    });

    it("is reached through AWS_ENDPOINT_URL_SECRETS_MANAGER when no endpoint is configured", async () => {
      vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint.url);
      const fromEnv = new SecretsManagerClient({ region: "us-east-1", credentials, maxAttempts: 1 });
      clients.push(fromEnv);

      const result = await fromEnv.send(get());

      expect(result.SecretString).toBe("sk_initial");
      expect(endpoint.getSecretValueCalls).toBe(1);
    });
  });

  describe("other operations", () => {
    it("stores a new current version with PutSecretValue", async () => {
      const put = await client().send(
        new PutSecretValueCommand({
          SecretId: secretName,
          SecretString: "sk_put",
          ClientRequestToken: "v2-token-0000000000000000000000000000",
        }),
      );

      expect(put).toMatchObject({
        Name: secretName,
        VersionId: "v2-token-0000000000000000000000000000",
        VersionStages: ["AWSCURRENT"],
      });
      expect((await client().send(get())).SecretString).toBe("sk_put");
    });

    it("describes a secret with its current version stage", async () => {
      const current = await client().send(get());
      const described = await client().send(new DescribeSecretCommand({ SecretId: secretName }));

      expect(described).toMatchObject({
        ARN: current.ARN,
        Name: secretName,
        CreatedDate: new Date(fixedNow),
      });
      expect(described.VersionIdsToStages).toEqual({ [current.VersionId ?? ""]: ["AWSCURRENT"] });
    });
  });

  describe("protocol checks", () => {
    it("returns MissingAuthenticationTokenException to an unsigned request", async () => {
      const response = await rawPost({});

      expect(response.status).toBe(400);
      expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
      expect(await response.json()).toEqual({
        __type: "MissingAuthenticationTokenException",
        Message: "Missing Authentication Token",
      });
    });

    it("returns IncompleteSignatureException to an authorization that is not SigV4", async () => {
      const response = await rawPost({ authorization: "Bearer token", "x-amz-date": "20250101T120000Z" });

      expect(response.status).toBe(400);
      expect((await awsError(response)).__type).toBe("IncompleteSignatureException");
    });

    it("returns InvalidSignatureException when the signature is scoped to another region", async () => {
      const error = await client({ region: "eu-west-1" })
        .send(get())
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 400 } });
    });

    it("returns UnknownOperationException for an unknown target and 404 for another method", async () => {
      const unknown = await signedPost(credentials, {
        headers: { "x-amz-target": "secretsmanager.RotateEverything" },
      });
      const wrongMethod = await fetch(`${endpoint.url}/`);

      expect(unknown.status).toBe(400);
      expect((await awsError(unknown)).__type).toBe("UnknownOperationException");
      expect(wrongMethod.status).toBe(404);
    });
  });

  describe("signature verification", () => {
    it("gives UnrecognizedClientException to the real SDK signing with another access key", async () => {
      const error = await client({
        credentials: { accessKeyId: "AKIDOTHER", secretAccessKey: "local-secret" },
      })
        .send(get())
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({
        name: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
        $metadata: { httpStatusCode: 400 },
      });
      expect(endpoint.calls).toEqual([{ target: "secretsmanager.GetSecretValue", secretId: secretName }]);
    });

    it("gives InvalidSignatureException to the real SDK signing with the right key id and a wrong secret", async () => {
      const error = await client({ credentials: { ...credentials, secretAccessKey: "guessed" } })
        .send(get())
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message).toMatch(/^The request signature we calculated does not match/);
    });

    it("accepts aws4fetch's signature of the same request", async () => {
      const response = await signedPost(credentials);

      expect(response.status).toBe(200);
      expect(((await response.json()) as { SecretString: string }).SecretString).toBe("sk_initial");
    });

    it("refuses a body changed after signing", async () => {
      const response = await signedPost(credentials, {
        tamper: (signed) => new Request(signed, { body: '{"SecretId":"other-secret"}' }),
      });

      expect(response.status).toBe(400);
      expect((await awsError(response)).__type).toBe("InvalidSignatureException");
    });

    it("refuses a signed header changed after signing", async () => {
      const response = await signedPost(credentials, {
        tamper: (signed) => {
          const changed = new Request(signed);
          changed.headers.set("x-amz-target", "secretsmanager.DescribeSecret");
          return changed;
        },
      });

      expect((await awsError(response)).__type).toBe("InvalidSignatureException");
    });

    it.each([
      ["six minutes old", -6, "Signature expired"],
      ["six minutes ahead", 6, "Signature not yet current"],
    ])("refuses a signature %s", async (_name, minutes, message) => {
      const response = await signedPost(credentials, { datetime: amzDate(minutes) });

      expect(response.status).toBe(400);
      const error = await awsError(response);
      expect(error.__type).toBe("InvalidSignatureException");
      expect(error.Message).toContain(message);
    });

    it("accepts a signature four minutes old", async () => {
      const response = await signedPost(credentials, { datetime: amzDate(-4) });

      expect(response.status).toBe(200);
    });

    it("refuses a session token the credentials do not have", async () => {
      const response = await signedPost({ ...credentials, sessionToken: "made-up-token" });

      expect((await awsError(response)).__type).toBe("UnrecognizedClientException");
    });
  });

  describe("faults", () => {
    it.each([
      ["ThrottlingException", 400],
      ["ResourceNotFoundException", 400],
      ["AccessDeniedException", 400],
      ["DecryptionFailure", 400],
      ["InternalServiceError", 500],
    ] as const)("answers an injected %s with HTTP %i", async (type, status) => {
      endpoint.inject({ kind: "error", type });

      const error = await client()
        .send(get())
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({ name: type, $metadata: { httpStatusCode: status } });
      expect(endpoint.calls[0]?.fault).toEqual({ kind: "error", type });
    });

    it("uses the status given with an error fault", async () => {
      endpoint.inject({ kind: "error", type: "AccessDeniedException", status: 403 });

      await expect(client().send(get())).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    });

    it("lets the SDK retry a ThrottlingException, counting both calls", async () => {
      endpoint.inject({ kind: "error", type: "ThrottlingException" });

      const result = await client({ maxAttempts: 2 }).send(get());

      expect(result.SecretString).toBe("sk_initial");
      expect(result.$metadata.attempts).toBe(2);
      expect(endpoint.getSecretValueCalls).toBe(2);
    });

    it("delays the normal answer on a hang fault", async () => {
      endpoint.inject({ kind: "hang", ms: 50 });
      const started = performance.now();

      const result = await client().send(get());

      expect(result.SecretString).toBe("sk_initial");
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    });

    it("makes the SDK time out on a long hang", async () => {
      endpoint.inject({ kind: "hang", ms: 10_000 });
      // In this SDK, requestTimeout alone only logs a warning; throwOnRequestTimeout makes it an error.
      const timed = client({ requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true } });

      const error = await timed.send(get()).catch((caught: unknown) => caught);

      expect(error).toMatchObject({ name: "TimeoutError" });
    });

    it("drops the connection on a down fault", async () => {
      endpoint.inject({ kind: "down" });

      await expect(client().send(get())).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(endpoint.getSecretValueCalls).toBe(1);
    });

    it("releases a hung connection on close()", async () => {
      endpoint.inject({ kind: "hang", ms: 10_000 });
      const pending = client()
        .send(get())
        .catch((caught: unknown) => caught);
      for (let tries = 0; tries < 200 && endpoint.calls.length === 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const started = performance.now();

      await endpoint.close();

      expect(await pending).toBeInstanceOf(Error);
      expect(performance.now() - started).toBeLessThan(500);
    });
  });
});
