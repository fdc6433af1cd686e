import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it, vi } from "vitest";
import {
  SecretAccessError,
  SecretFormatError,
  SecretUnavailableError,
} from "../../../lambda/errors/configuration-errors.ts";
import { createApiKeyReader, type SecretReadTrace } from "../../../lambda/secret/reader.ts";
import { awsError, deferred, fakeSecretsClient, SECRET_ID } from "../../support/fake-secrets-manager.ts";

const secretId = SECRET_ID;
const ttlMs = 300_000;

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe("Unit: secret reader", () => {
  it("reads the secret with GetSecretValue by its id", async () => {
    const { client, send } = fakeSecretsClient("sk_live_first_key");

    const apiKey = await createApiKeyReader({ client, secretId, ttlMs }).getApiKey(
      new AbortController().signal,
    );

    expect(apiKey).toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(1);
    const [command] = send.mock.calls[0] as [GetSecretValueCommand];
    expect(command).toBeInstanceOf(GetSecretValueCommand);
    expect(command.input).toEqual({ SecretId: secretId });
  });

  it("stops one caller waiting at its deadline without failing the shared read for the others", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    const impatient = new AbortController();

    const first = reader.getApiKey(impatient.signal);
    const second = reader.getApiKey(new AbortController().signal);
    impatient.abort();
    pending.resolve({ SecretString: "sk_live_first_key" });

    await expect(first).rejects.toMatchObject({ name: "SecretUnavailableError" });
    await expect(second).resolves.toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("reads the JSON {apiKey} form", async () => {
    const { client } = fakeSecretsClient(JSON.stringify({ apiKey: "sk_live_json_key" }));

    await expect(createApiKeyReader({ client, secretId, ttlMs }).getApiKey()).resolves.toBe(
      "sk_live_json_key",
    );
  });

  it("reads once per TTL and again once the TTL has passed", async () => {
    // Prepare
    const clock = fakeClock();
    const { client, send } = fakeSecretsClient("sk_live_first_key", "sk_live_second_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs, now: clock.now });

    // Act and assess: within the TTL, the cache answers
    expect(await reader.getApiKey()).toBe("sk_live_first_key");
    clock.advance(ttlMs - 1);
    expect(await reader.getApiKey()).toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(1);

    // At the TTL, a new read
    clock.advance(1);
    expect(await reader.getApiKey()).toBe("sk_live_second_key");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("counts the TTL from when the read finished", async () => {
    const clock = fakeClock();
    const slow = deferred<unknown>();
    const { client, send } = fakeSecretsClient(slow.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs, now: clock.now });

    const first = reader.getApiKey();
    clock.advance(10_000);
    slow.resolve({ SecretString: "sk_live_first_key" });
    await first;
    clock.advance(ttlMs - 1);

    expect(await reader.getApiKey()).toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("reads every time with a TTL of 0", async () => {
    const { client, send } = fakeSecretsClient("sk_live_first_key", "sk_live_second_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs: 0, now: fakeClock().now });

    await reader.getApiKey();
    await reader.getApiKey();

    expect(send).toHaveBeenCalledTimes(2);
  });

  it("shares a read in flight between concurrent callers", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    const reads = [reader.getApiKey(), reader.getApiKey(), reader.refreshApiKey()];
    pending.resolve({ SecretString: "sk_live_first_key" });

    expect(await Promise.all(reads)).toEqual(["sk_live_first_key", "sk_live_first_key", "sk_live_first_key"]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("shares a failed read in flight, and does not cache the failure", async () => {
    // Prepare
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise, "sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    // Act
    const reads = [reader.getApiKey(), reader.getApiKey()];
    pending.reject(awsError("ThrottlingException"));
    const results = await Promise.allSettled(reads);

    // Assess
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(send).toHaveBeenCalledTimes(1);
    await expect(reader.getApiKey()).resolves.toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("does not cache a secret it cannot parse", async () => {
    const { client, send } = fakeSecretsClient("bad", "sk_live_fixed_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    await expect(reader.getApiKey()).rejects.toBeInstanceOf(SecretFormatError);
    await expect(reader.getApiKey()).resolves.toBe("sk_live_fixed_key");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("reads again on refreshApiKey even within the TTL, and caches the new key", async () => {
    const clock = fakeClock();
    const { client, send } = fakeSecretsClient("sk_live_first_key", "sk_live_rotated_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs, now: clock.now });

    await reader.getApiKey();
    const refreshed = await reader.refreshApiKey();
    const cached = await reader.getApiKey();

    expect(refreshed).toBe("sk_live_rotated_key");
    expect(cached).toBe("sk_live_rotated_key");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("drops the cache on refreshApiKey even when the refresh fails", async () => {
    const { client, send } = fakeSecretsClient(
      "sk_live_first_key",
      Object.assign(awsError("InternalServiceError"), {
        $fault: "server",
        $metadata: { httpStatusCode: 500 },
      }),
      "sk_live_third_key",
    );
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    await reader.getApiKey();
    await expect(reader.refreshApiKey()).rejects.toBeInstanceOf(SecretUnavailableError);

    await expect(reader.getApiKey()).resolves.toBe("sk_live_third_key");
    expect(send).toHaveBeenCalledTimes(3);
  });

  // The classification itself is tested against the real SDK client in read-failure.test.ts.
  it("turns an operator's fault into SecretAccessError, with the fix", async () => {
    const cause = Object.assign(awsError("AccessDeniedException"), {
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    });
    const { client } = fakeSecretsClient(cause);

    const error = await createApiKeyReader({ client, secretId, ttlMs })
      .getApiKey()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error).toMatchObject({
      name: "SecretAccessError",
      message: "Secrets Manager refused to return the Apideck API key (AccessDeniedException).",
      operatorAction: expect.stringContaining("secretsmanager:GetSecretValue"),
      cause,
    });
  });

  it("turns a fault that may clear into SecretUnavailableError", async () => {
    const cause = Object.assign(awsError("ThrottlingException"), {
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    });
    const { client } = fakeSecretsClient(cause);

    const error = await createApiKeyReader({ client, secretId, ttlMs })
      .getApiKey()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error).toMatchObject({ message: "Secrets Manager is unavailable (ThrottlingException).", cause });
  });

  it("rejects a binary secret with SecretFormatError", async () => {
    const send = vi.fn().mockResolvedValueOnce({ SecretBinary: new Uint8Array([1, 2, 3]) });
    const client = { send } as unknown as SecretsManagerClient;

    await expect(createApiKeyReader({ client, secretId, ttlMs }).getApiKey()).rejects.toBeInstanceOf(
      SecretFormatError,
    );
  });
});

// The request log's `secret_read`: the reader says, on the caller's trace, how this call got the key.
describe("Unit: secret reader: how the key was read", () => {
  it("says fetch for the first read and cache while the TTL lasts", async () => {
    const clock = fakeClock();
    const { client } = fakeSecretsClient("sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs, now: clock.now });
    const first: SecretReadTrace = {};
    const second: SecretReadTrace = {};

    await reader.getApiKey(undefined, first);
    clock.advance(ttlMs - 1);
    await reader.getApiKey(undefined, second);

    expect(first.secretRead).toBe("fetch");
    expect(second.secretRead).toBe("cache");
  });

  it("says fetch once the TTL has passed", async () => {
    const clock = fakeClock();
    const { client, send } = fakeSecretsClient("sk_live_first_key", "sk_live_second_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs, now: clock.now });
    await reader.getApiKey();
    clock.advance(ttlMs);
    const trace: SecretReadTrace = {};

    await expect(reader.getApiKey(undefined, trace)).resolves.toBe("sk_live_second_key");

    expect(trace.secretRead).toBe("fetch");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("says fetch for a caller that joins a read in flight", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    const starter: SecretReadTrace = {};
    const joiner: SecretReadTrace = {};

    const reads = [reader.getApiKey(undefined, starter), reader.getApiKey(undefined, joiner)];
    pending.resolve({ SecretString: "sk_live_first_key" });
    await Promise.all(reads);

    expect([starter.secretRead, joiner.secretRead]).toEqual(["fetch", "fetch"]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("says fetch before the read settles, so a failed read is reported too", async () => {
    const pending = deferred<unknown>();
    const { client } = fakeSecretsClient(pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    const trace: SecretReadTrace = {};

    const read = reader.getApiKey(undefined, trace);
    expect(trace.secretRead).toBe("fetch");
    pending.reject(awsError("ThrottlingException"));

    await expect(read).rejects.toBeInstanceOf(SecretUnavailableError);
    expect(trace.secretRead).toBe("fetch");
  });

  it("says refresh for refreshApiKey within the TTL, replacing an earlier cache on the same trace", async () => {
    const { client, send } = fakeSecretsClient("sk_live_first_key", "sk_live_rotated_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs, now: fakeClock().now });
    await reader.getApiKey();
    const trace: SecretReadTrace = {};

    await reader.getApiKey(undefined, trace);
    expect(trace.secretRead).toBe("cache");
    await expect(reader.refreshApiKey(undefined, trace)).resolves.toBe("sk_live_rotated_key");

    expect(trace.secretRead).toBe("refresh");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("says refresh when the refresh fails", async () => {
    const { client } = fakeSecretsClient("sk_live_first_key", awsError("ThrottlingException"));
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    await reader.getApiKey();
    const trace: SecretReadTrace = {};

    await expect(reader.refreshApiKey(undefined, trace)).rejects.toBeInstanceOf(SecretUnavailableError);

    expect(trace.secretRead).toBe("refresh");
  });

  it("writes nothing but secretRead on the trace", async () => {
    const { client } = fakeSecretsClient("sk_live_first_key");
    const trace: SecretReadTrace & { upstream?: unknown } = { upstream: { attempts: 0 } };

    await createApiKeyReader({ client, secretId, ttlMs }).getApiKey(undefined, trace);

    expect(trace).toEqual({ upstream: { attempts: 0 }, secretRead: "fetch" });
    expect(JSON.stringify(trace)).not.toContain("sk_live_first_key");
  });
});
