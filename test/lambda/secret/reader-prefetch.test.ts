import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyReader, type SecretReadTrace } from "../../../lambda/secret/reader.ts";
import { awsError, deferred, fakeSecretsClient, SECRET_ID } from "../../support/fake-secrets-manager.ts";

const secretId = SECRET_ID;
const ttlMs = 300_000;
const boundMs = 2_000;

// The read INIT starts (handler.ts's top-level await): bounded, never failing, never the reason a
// request fails, and still exactly one GetSecretValue per instance per TTL.
describe("Unit: secret reader prefetch", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("caches the key, so the first request makes no second GetSecretValue", async () => {
    const { client, send } = fakeSecretsClient("sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    await expect(reader.prefetch(boundMs)).resolves.toEqual({ outcome: "cached" });
    await expect(reader.getApiKey()).resolves.toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops waiting at the bound while the read hangs, and the first request finishes that same read", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    const prefetch = reader.prefetch(boundMs);
    await vi.advanceTimersByTimeAsync(boundMs - 1);
    let settled = false;
    void prefetch.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(prefetch).resolves.toEqual({ outcome: "pending" });

    const first = reader.getApiKey(new AbortController().signal);
    pending.resolve({ SecretString: "sk_live_first_key" });
    await expect(first).resolves.toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("resolves with the failure instead of rejecting, and the first request reads again", async () => {
    const { client, send } = fakeSecretsClient(awsError("ThrottlingException"), "sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    await expect(reader.prefetch(boundMs)).resolves.toEqual({
      outcome: "failed",
      errorName: "SecretUnavailableError",
      message: "Secrets Manager is unavailable (ThrottlingException).",
    });
    await expect(reader.getApiKey()).resolves.toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("reads again for a request that joined the INIT read before it failed", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise, "sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });

    const prefetch = reader.prefetch(boundMs);
    await vi.advanceTimersByTimeAsync(boundMs);
    await expect(prefetch).resolves.toEqual({ outcome: "pending" });
    const first = reader.getApiKey(new AbortController().signal);
    pending.reject(awsError("ThrottlingException"));

    await expect(first).resolves.toBe("sk_live_first_key");
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("lets a request that joined an ordinary failing read fail with it", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient("sk_live_first_key", pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    await reader.prefetch(boundMs);

    const refresh = reader.refreshApiKey();
    const joined = reader.getApiKey();
    pending.reject(awsError("ThrottlingException"));

    await expect(refresh).rejects.toMatchObject({ name: "SecretUnavailableError" });
    await expect(joined).rejects.toMatchObject({ name: "SecretUnavailableError" });
    expect(send).toHaveBeenCalledTimes(2);
  });
});

// The request log's `secret_read` after INIT: `cache` if INIT's read finished, `fetch` if the
// request had to wait for it (or read again after it failed).
describe("Unit: secret reader prefetch: how the key was read", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("says cache for the first request after an INIT read that finished", async () => {
    const { client } = fakeSecretsClient("sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    await reader.prefetch(boundMs);
    const trace: SecretReadTrace = {};

    await reader.getApiKey(undefined, trace);

    expect(trace.secretRead).toBe("cache");
  });

  it("says fetch for a request that joins the INIT read still running", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise);
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    const prefetch = reader.prefetch(boundMs);
    await vi.advanceTimersByTimeAsync(boundMs);
    await expect(prefetch).resolves.toEqual({ outcome: "pending" });
    const trace: SecretReadTrace = {};

    const first = reader.getApiKey(new AbortController().signal, trace);
    pending.resolve({ SecretString: "sk_live_first_key" });

    await expect(first).resolves.toBe("sk_live_first_key");
    expect(trace.secretRead).toBe("fetch");
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("says fetch for a request that joined the INIT read and read again after it failed", async () => {
    const pending = deferred<unknown>();
    const { client, send } = fakeSecretsClient(pending.promise, "sk_live_first_key");
    const reader = createApiKeyReader({ client, secretId, ttlMs });
    const prefetch = reader.prefetch(boundMs);
    await vi.advanceTimersByTimeAsync(boundMs);
    await expect(prefetch).resolves.toEqual({ outcome: "pending" });
    const trace: SecretReadTrace = {};

    const first = reader.getApiKey(new AbortController().signal, trace);
    pending.reject(awsError("ThrottlingException"));

    await expect(first).resolves.toBe("sk_live_first_key");
    expect(trace.secretRead).toBe("fetch");
    expect(send).toHaveBeenCalledTimes(2);
  });
});
