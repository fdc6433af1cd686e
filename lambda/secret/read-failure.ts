import { SecretAccessError, SecretUnavailableError } from "../errors/configuration-errors.ts";

// Throttling names the AWS SDKs retry as such (smithy's service-error-classification), those a
// Secrets Manager endpoint can send.
const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
]);

// System error codes of a connection that failed or timed out on the way (smithy's retryable
// Node.js codes, plus DNS's temporary failure and an aborted connection).
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const CREDENTIALS_ACTION =
  "Give the function valid AWS credentials: its execution role on Lambda; locally an AWS profile or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.";

/** What the operator must change, by the SDK's error name. */
const OPERATOR_ACTIONS: Record<string, string> = {
  ResourceNotFoundException:
    "Check APIDECK_SECRET_ID: no secret by that name or ARN exists in the function's account and region.",
  AccessDeniedException:
    "Allow the function's execution role secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key if it has its own).",
  DecryptionFailure:
    "Allow the function's execution role kms:Decrypt on the secret's KMS key, and check that the key is enabled.",
  InvalidRequestException:
    "The secret cannot be read as it is (for example, it is scheduled for deletion): restore it, or point APIDECK_SECRET_ID at another.",
  InvalidParameterException: "Check APIDECK_SECRET_ID: Secrets Manager refused it as a secret id.",
  CredentialsProviderError: CREDENTIALS_ACTION,
  UnrecognizedClientException: CREDENTIALS_ACTION,
  InvalidClientTokenId: CREDENTIALS_ACTION,
  InvalidSignatureException: CREDENTIALS_ACTION,
  IncompleteSignature: CREDENTIALS_ACTION,
  ExpiredTokenException: CREDENTIALS_ACTION,
};

type SdkFailure = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
};

/**
 * Sorts a failed GetSecretValue into what may clear by itself (throttling, a timeout, the network,
 * a 5xx: `SecretUnavailableError`, answered 503 with Retry-After) and everything else, which only
 * the operator can fix (`SecretAccessError`, answered 500, with the fix in `operatorAction`). The
 * default is the operator's: a retry-later answer for a permanent fault sends callers into a loop
 * while nobody looks at the cause. The SDK throws a plain `Error` for a missing region before any
 * request is sent, and `CredentialsProviderError` when it finds no credentials.
 */
export function classifySecretFailure(error: unknown): SecretAccessError | SecretUnavailableError {
  const failure = (typeof error === "object" && error !== null ? error : {}) as SdkFailure;
  const name = typeof failure.name === "string" ? failure.name : "UnknownError";
  const message = typeof failure.message === "string" ? failure.message : String(error);
  const status = failure.$metadata?.httpStatusCode;
  const code = typeof failure.code === "string" ? failure.code : undefined;
  const transient =
    THROTTLING.has(name) ||
    status === 429 ||
    failure.$fault === "server" ||
    (status !== undefined && status >= 500) ||
    name === "TimeoutError" ||
    name === "AbortError" ||
    (code !== undefined && NETWORK_CODES.has(code));
  // A plain Error says nothing by its name; its message ("Region is missing") does, and quotes no secret.
  const reason = name === "Error" ? message : name;
  if (transient) return new SecretUnavailableError(code ? `${reason}, ${code}` : reason, { cause: error });
  const operatorAction = /region is missing/i.test(message)
    ? "Set the function's AWS region (AWS_REGION; Lambda sets it itself, locally export it or use a profile with a region)."
    : OPERATOR_ACTIONS[name];
  return new SecretAccessError(reason, { cause: error, ...(operatorAction ? { operatorAction } : {}) });
}
