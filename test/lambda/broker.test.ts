import { describe, expect, it, vi } from "vitest";
import type { ApideckClient, VaultSessionCall } from "../../lambda/apideck/client.ts";
import type { CreateSessionResponse } from "../../lambda/apideck/response.ts";
import { type BrokerTrace, createSessionBroker, type SessionRequest } from "../../lambda/broker.ts";
import type { CallBudget } from "../../lambda/deadline.ts";
import { SecretUnavailableError } from "../../lambda/errors/configuration-errors.ts";
import { UpstreamHttpError, UpstreamTimeoutError } from "../../lambda/errors/upstream-errors.ts";
import { type ApiKeyReader, createApiKeyReader } from "../../lambda/secret/reader.ts";
import { awsError, fakeSecretsClient, SECRET_ID } from "../support/fake-secrets-manager.ts";
import { unsignedJwt } from "./fixtures.ts";

const appId = "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX";
const now = Date.UTC(2025, 10, 22, 13, 0, 0);
const request: SessionRequest = {
  consumerId: "account:12345",
  session: { settings: { session_length: "30m" } },
};

function sessionResponse(token = "opaque-token"): CreateSessionResponse {
  return {
    status_code: 200,
    status: "OK",
    data: { session_uri: `https://vault.apideck.com/session/${token}`, session_token: token },
  };
}

/** An API key reader whose reads answer with these keys (or errors), in order. */
function fakeKeys(first: string, ...refreshed: Array<string | Error>) {
  const getApiKey = vi.fn<ApiKeyReader["getApiKey"]>().mockResolvedValue(first);
  const refreshApiKey = vi.fn<ApiKeyReader["refreshApiKey"]>();
  for (const answer of refreshed) {
    if (answer instanceof Error) refreshApiKey.mockRejectedValueOnce(answer);
    else refreshApiKey.mockResolvedValueOnce(answer);
  }
  return { getApiKey, refreshApiKey };
}

/** An Apideck client whose calls answer with these responses (or errors), in order. */
function fakeApideck(...answers: Array<CreateSessionResponse | Error>) {
  const createSession = vi.fn<ApideckClient["createSession"]>();
  for (const answer of answers) {
    if (answer instanceof Error) createSession.mockRejectedValueOnce(answer);
    else createSession.mockResolvedValueOnce(answer);
  }
  return { createSession };
}

const unauthorized = () => new UpstreamHttpError(401, { message: "Unauthorized" }, undefined);
const budget = (): CallBudget => ({ signal: new AbortController().signal, deadlineAt: now + 10_000 });
const newTrace = (): BrokerTrace => ({ upstream: { attempts: 0 } });

/** The real key reader over a Secrets Manager client whose reads answer these secret strings (or errors), in order. */
function secretsManagerKeys(...answers: Array<string | Error>) {
  const { client, send } = fakeSecretsClient(...answers);
  return { reader: createApiKeyReader({ client, secretId: SECRET_ID, ttlMs: 300_000 }), send };
}

const throttled = () => awsError("ThrottlingException");

describe("Unit: session broker", () => {
  it("calls Apideck with the cached key, the app, the consumer and the session", async () => {
    // Prepare
    const apiKeys = fakeKeys("sk_live_cached_key");
    const apideck = fakeApideck(sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys, apideck, now: () => now });
    const callBudget = budget();
    const trace = newTrace();

    // Act
    const opened = await broker.openSession(request, callBudget, trace);

    // Assess
    expect(opened.response).toEqual(sessionResponse());
    expect(apiKeys.getApiKey).toHaveBeenCalledWith(callBudget.signal, trace);
    expect(apiKeys.refreshApiKey).not.toHaveBeenCalled();
    expect(apideck.createSession).toHaveBeenCalledExactlyOnceWith(
      {
        apiKey: "sk_live_cached_key",
        appId,
        consumerId: "account:12345",
        session: request.session,
      } satisfies VaultSessionCall,
      callBudget,
      trace.upstream,
    );
  });

  it("retries once with the refreshed key after a 401 when the key has changed", async () => {
    const apiKeys = fakeKeys("sk_live_old_key", "sk_live_rotated_key");
    const apideck = fakeApideck(unauthorized(), sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys, apideck, now: () => now });
    const callBudget = budget();
    const trace = newTrace();

    const opened = await broker.openSession(request, callBudget, trace);

    expect(opened.response).toEqual(sessionResponse());
    expect(apiKeys.refreshApiKey).toHaveBeenCalledExactlyOnceWith(callBudget.signal, trace);
    expect(apideck.createSession).toHaveBeenCalledTimes(2);
    expect(apideck.createSession.mock.calls.map(([call]) => call.apiKey)).toEqual([
      "sk_live_old_key",
      "sk_live_rotated_key",
    ]);
  });

  it("does not retry a 401 when the refreshed key is the same", async () => {
    const rejection = unauthorized();
    const apiKeys = fakeKeys("sk_live_revoked_key", "sk_live_revoked_key");
    const apideck = fakeApideck(rejection, sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys, apideck, now: () => now });

    await expect(broker.openSession(request, budget(), newTrace())).rejects.toBe(rejection);
    expect(apiKeys.refreshApiKey).toHaveBeenCalledTimes(1);
    expect(apideck.createSession).toHaveBeenCalledTimes(1);
  });

  it("retries only once: a second 401 with the new key is final", async () => {
    const apiKeys = fakeKeys("sk_live_old_key", "sk_live_rotated_key", "sk_live_third_key");
    const second = unauthorized();
    const apideck = fakeApideck(unauthorized(), second, sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys, apideck, now: () => now });

    await expect(broker.openSession(request, budget(), newTrace())).rejects.toBe(second);
    expect(apiKeys.refreshApiKey).toHaveBeenCalledTimes(1);
    expect(apideck.createSession).toHaveBeenCalledTimes(2);
  });

  it("passes the refresh's own failure on", async () => {
    const refreshFailure = new SecretUnavailableError("ThrottlingException");
    const apiKeys = fakeKeys("sk_live_old_key", refreshFailure);
    const apideck = fakeApideck(unauthorized());
    const broker = createSessionBroker({ appId, apiKeys, apideck, now: () => now });

    await expect(broker.openSession(request, budget(), newTrace())).rejects.toBe(refreshFailure);
    expect(apideck.createSession).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["a 403", new UpstreamHttpError(403, undefined, undefined)],
    ["a 503", new UpstreamHttpError(503, undefined, undefined)],
    ["a timeout", new UpstreamTimeoutError()],
  ])("does not read the key again after %s", async (_, failure) => {
    const apiKeys = fakeKeys("sk_live_cached_key", "sk_live_rotated_key");
    const apideck = fakeApideck(failure, sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys, apideck, now: () => now });

    await expect(broker.openSession(request, budget(), newTrace())).rejects.toBe(failure);
    expect(apiKeys.refreshApiKey).not.toHaveBeenCalled();
    expect(apideck.createSession).toHaveBeenCalledTimes(1);
  });

  it("does not call Apideck when the key cannot be read", async () => {
    const failure = new SecretUnavailableError("ThrottlingException");
    const apiKeys = fakeKeys("unused");
    apiKeys.getApiKey.mockReset().mockRejectedValue(failure);
    const apideck = fakeApideck(sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys, apideck });

    await expect(broker.openSession(request, budget(), newTrace())).rejects.toBe(failure);
    expect(apideck.createSession).not.toHaveBeenCalled();
  });

  it("takes the expiry from the session token's exp claim", async () => {
    const exp = now / 1000 + 900;
    const apideck = fakeApideck(sessionResponse(unsignedJwt({ exp })));
    const broker = createSessionBroker({
      appId,
      apiKeys: fakeKeys("sk_live_key_1"),
      apideck,
      now: () => now,
    });

    const opened = await broker.openSession(request, budget(), newTrace());

    expect(opened.expiresAt).toEqual(new Date(exp * 1000));
  });

  it("takes the expiry from session_length when the token carries none", async () => {
    const apideck = fakeApideck(sessionResponse("opaque-token"));
    const broker = createSessionBroker({
      appId,
      apiKeys: fakeKeys("sk_live_key_1"),
      apideck,
      now: () => now,
    });

    const opened = await broker.openSession(request, budget(), newTrace());

    expect(opened.expiresAt).toEqual(new Date(now + 30 * 60_000));
  });

  it("uses Apideck's one-hour default without a session_length", async () => {
    const apideck = fakeApideck(sessionResponse("opaque-token"));
    const broker = createSessionBroker({
      appId,
      apiKeys: fakeKeys("sk_live_key_1"),
      apideck,
      now: () => now,
    });

    const opened = await broker.openSession(
      { consumerId: "account:12345", session: {} },
      budget(),
      newTrace(),
    );

    expect(opened.expiresAt).toEqual(new Date(now + 3_600_000));
  });
});

// The request log's `secret_read`, recorded on the trace the broker is given, with the real reader.
describe("Unit: session broker: how the key was read", () => {
  it("records fetch on the trace when the key is read from Secrets Manager", async () => {
    const { reader, send } = secretsManagerKeys("sk_live_cached_key");
    const broker = createSessionBroker({ appId, apiKeys: reader, apideck: fakeApideck(sessionResponse()) });
    const trace = newTrace();

    await broker.openSession(request, budget(), trace);

    expect(trace.secretRead).toBe("fetch");
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("records cache on the trace when the instance's cache has the key", async () => {
    const { reader, send } = secretsManagerKeys("sk_live_cached_key");
    const apideck = fakeApideck(sessionResponse(), sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys: reader, apideck });
    await broker.openSession(request, budget(), newTrace());
    const trace = newTrace();

    await broker.openSession(request, budget(), trace);

    expect(trace).toEqual({ secretRead: "cache", upstream: { attempts: 0 } });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("records refresh on the trace after a 401, replacing cache", async () => {
    const { reader } = secretsManagerKeys("sk_live_old_key", "sk_live_rotated_key");
    const apideck = fakeApideck(sessionResponse(), unauthorized(), sessionResponse());
    const broker = createSessionBroker({ appId, apiKeys: reader, apideck });
    await broker.openSession(request, budget(), newTrace());
    const trace = newTrace();

    await broker.openSession(request, budget(), trace);

    expect(trace.secretRead).toBe("refresh");
    expect(apideck.createSession.mock.calls.map(([call]) => call.apiKey)).toEqual([
      "sk_live_old_key",
      "sk_live_old_key",
      "sk_live_rotated_key",
    ]);
  });

  it("records refresh when a 401 stands because the key did not change", async () => {
    const { reader } = secretsManagerKeys("sk_live_revoked_key", "sk_live_revoked_key");
    const rejection = unauthorized();
    const broker = createSessionBroker({ appId, apiKeys: reader, apideck: fakeApideck(rejection) });
    const trace = newTrace();

    await expect(broker.openSession(request, budget(), trace)).rejects.toBe(rejection);

    expect(trace.secretRead).toBe("refresh");
  });

  it("records fetch when the read fails, and refresh when the refresh after a 401 fails", async () => {
    const failedRead = secretsManagerKeys(throttled());
    const failedRefresh = secretsManagerKeys("sk_live_old_key", throttled());
    const fetchTrace = newTrace();
    const refreshTrace = newTrace();

    await expect(
      createSessionBroker({ appId, apiKeys: failedRead.reader, apideck: fakeApideck() }).openSession(
        request,
        budget(),
        fetchTrace,
      ),
    ).rejects.toMatchObject({ name: "SecretUnavailableError" });
    await expect(
      createSessionBroker({
        appId,
        apiKeys: failedRefresh.reader,
        apideck: fakeApideck(unauthorized()),
      }).openSession(request, budget(), refreshTrace),
    ).rejects.toMatchObject({ name: "SecretUnavailableError" });

    expect(fetchTrace.secretRead).toBe("fetch");
    expect(refreshTrace.secretRead).toBe("refresh");
  });

  it("records the read on the trace it is given, and the Apideck call on that trace's upstream", async () => {
    const { reader } = secretsManagerKeys("sk_live_cached_key");
    const createSession = vi.fn<ApideckClient["createSession"]>(async (_call, _budget, upstream) => {
      upstream.attempts = 1;
      upstream.status = 200;
      return sessionResponse();
    });
    const broker = createSessionBroker({ appId, apiKeys: reader, apideck: { createSession } });
    const trace = newTrace();

    await broker.openSession(request, budget(), trace);

    expect(trace).toEqual({ secretRead: "fetch", upstream: { attempts: 1, status: 200 } });
  });
});
