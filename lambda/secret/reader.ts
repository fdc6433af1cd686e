import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretUnavailableError } from "../errors/configuration-errors.ts";
import { classifySecretFailure } from "./read-failure.ts";
import { parseApiKeySecret } from "./value.ts";

/**
 * How a request got the key (the request log's `secret_read`): `cache` without a Secrets Manager
 * call, `fetch` by starting or joining a GetSecretValue read (cache empty, expired, or the INIT
 * read still running), `refresh` by reading again after Apideck answered 401.
 */
export type SecretRead = "cache" | "fetch" | "refresh";

/**
 * Where the reader says how it got the key: written in the same step as the cache lookup (no
 * second lookup to race), before the read settles, so a failed read is reported too.
 */
export interface SecretReadTrace {
  secretRead?: SecretRead | undefined;
}

/** Reads the Apideck API key, cached per Lambda instance. */
export interface ApiKeyReader {
  /** The cached key, or a fresh read when the cache is empty or older than the TTL. */
  getApiKey(signal?: AbortSignal, trace?: SecretReadTrace): Promise<string>;
  /** Drops the cache and reads again, e.g. after Apideck answered 401 (the key was rotated). */
  refreshApiKey(signal?: AbortSignal, trace?: SecretReadTrace): Promise<string>;
}

/** The reader as the wiring sees it: what requests use, plus the read INIT starts early. */
export interface ApiKeyCache extends ApiKeyReader {
  /**
   * Starts a read now (Lambda's INIT) and waits for it at most `boundMs`, whatever the SDK's
   * retries do. Never rejects: it says how it went. A read that failed leaves the cache empty,
   * and a request that joined it while it was running reads again, so a failure here is never a
   * request's answer; a read still running at the bound is shared by the first request.
   */
  prefetch(boundMs: number): Promise<PrefetchOutcome>;
}

/** How a {@link ApiKeyCache.prefetch} went: the key is cached, the read failed, or it still runs. */
export type PrefetchOutcome =
  | { readonly outcome: "cached" }
  | { readonly outcome: "failed"; readonly errorName: string; readonly message: string }
  | { readonly outcome: "pending" };

/** Options for `createApiKeyReader`. */
export interface ApiKeyReaderOptions {
  readonly client: SecretsManagerClient;
  readonly secretId: string;
  readonly ttlMs: number;
  readonly now?: () => number;
}

/**
 * Creates the per-instance key cache. A read in flight is shared, so concurrent callers (the local
 * server, tests) cause one GetSecretValue; a failed read is not cached, so the next request retries.
 */
export function createApiKeyReader({
  client,
  secretId,
  ttlMs,
  now = Date.now,
}: ApiKeyReaderOptions): ApiKeyCache {
  let cached: { apiKey: string; readAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let prefetching: Promise<string> | undefined;

  const start = (): Promise<string> => {
    inFlight ??= fetchApiKey(client, secretId)
      .then((apiKey) => {
        cached = { apiKey, readAt: now() };
        return apiKey;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  // The shared read takes no caller's signal: one caller's deadline must not fail the read for
  // the others (the local server runs requests concurrently). Each caller stops waiting at its own
  // deadline instead; the SDK's own timeouts bound the read itself. A caller that joined the INIT
  // read and saw it fail reads again: that failure started before the request did.
  const read = (signal?: AbortSignal): Promise<string> => {
    const shared = start();
    const attempt = shared === prefetching ? shared.catch(() => start()) : shared;
    return untilAborted(attempt, signal);
  };

  const prefetch = (boundMs: number): Promise<PrefetchOutcome> => {
    // Kept once settled: `start()` never hands out a settled read again, so only a request that
    // joined this read while it ran can match it.
    const initRead = start();
    prefetching = initRead;
    const settled = initRead.then(
      (): PrefetchOutcome => ({ outcome: "cached" }),
      (error: Error): PrefetchOutcome => ({
        outcome: "failed",
        errorName: error.name,
        message: error.message,
      }),
    );
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ outcome: "pending" }), boundMs);
      void settled.then((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  };

  return {
    prefetch,
    getApiKey: (signal, trace) => {
      if (cached && now() - cached.readAt < ttlMs) {
        if (trace) trace.secretRead = "cache";
        return Promise.resolve(cached.apiKey);
      }
      if (trace) trace.secretRead = "fetch";
      return read(signal);
    },
    refreshApiKey: (signal, trace) => {
      if (trace) trace.secretRead = "refresh";
      cached = undefined;
      return read(signal);
    },
  };
}

/** `promise`, or a `SecretUnavailableError` as soon as `signal` aborts, whichever comes first. */
function untilAborted(promise: Promise<string>, signal: AbortSignal | undefined): Promise<string> {
  if (signal === undefined) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new SecretUnavailableError("AbortError", { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function fetchApiKey(client: SecretsManagerClient, secretId: string): Promise<string> {
  let secretString: string | undefined;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    secretString = output.SecretString;
  } catch (error) {
    throw classifySecretFailure(error);
  }
  return parseApiKeySecret(secretString);
}
