import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretAccessError, SecretUnavailableError } from "./errors/configuration-errors.ts";
import { parseApiKeySecret } from "./secret-value.ts";

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

  const read = (signal?: AbortSignal): Promise<string> => {
    inFlight ??= fetchApiKey(client, secretId, signal)
      .then((apiKey) => {
        cached = { apiKey, readAt: now() };
        return apiKey;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
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

async function fetchApiKey(
  client: SecretsManagerClient,
  secretId: string,
  signal?: AbortSignal,
): Promise<string> {
  let secretString: string | undefined;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }), {
      abortSignal: signal,
    });
    secretString = output.SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : "UnknownError";
    throw OPERATOR_ERRORS.has(name)
      ? new SecretAccessError(name, { cause: error })
      : new SecretUnavailableError(name, { cause: error });
  }
  return parseApiKeySecret(secretString);
}
