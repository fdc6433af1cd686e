import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretAccessError, SecretUnavailableError } from "../errors/configuration-errors.ts";
import { parseApiKeySecret } from "./value.ts";

/** Errors only the operator can fix; every other failure (throttling, network, 5xx) may clear. */
const OPERATOR_ERRORS = new Set([
  "ResourceNotFoundException",
  "AccessDeniedException",
  "DecryptionFailure",
  "InvalidRequestException",
  "InvalidParameterException",
  "UnrecognizedClientException",
]);

/** Reads the Apideck API key, cached per Lambda instance. */
export interface ApiKeyReader {
  /** The cached key, or a fresh read when the cache is empty or older than the TTL. */
  getApiKey(signal?: AbortSignal): Promise<string>;
  /** Drops the cache and reads again, e.g. after Apideck answered 401 (the key was rotated). */
  refreshApiKey(signal?: AbortSignal): Promise<string>;
}

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
}: ApiKeyReaderOptions): ApiKeyReader {
  let cached: { apiKey: string; readAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  // The shared read takes no caller's signal: one caller's deadline must not fail the read for
  // the others (the local server runs requests concurrently). Each caller stops waiting at its own
  // deadline instead; the SDK's own timeouts bound the read itself.
  const read = (signal?: AbortSignal): Promise<string> => {
    inFlight ??= fetchApiKey(client, secretId)
      .then((apiKey) => {
        cached = { apiKey, readAt: now() };
        return apiKey;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return untilAborted(inFlight, signal);
  };

  return {
    getApiKey: (signal) =>
      cached && now() - cached.readAt < ttlMs ? Promise.resolve(cached.apiKey) : read(signal),
    refreshApiKey: (signal) => {
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
    const name = error instanceof Error ? error.name : "UnknownError";
    throw OPERATOR_ERRORS.has(name)
      ? new SecretAccessError(name, { cause: error })
      : new SecretUnavailableError(name, { cause: error });
  }
  return parseApiKeySecret(secretString);
}
