import { randomUUID } from "node:crypto";
import type { HttpAnswer } from "./loopback-server.ts";

// The wire protocol of @aws-sdk/client-secrets-manager 3.x: AWS JSON 1.1 (its runtimeConfig.shared.js
// sets `protocol: AwsJson1_1Protocol` with `serviceTarget: "secretsmanager"`), i.e. `POST /` with
// `x-amz-target: secretsmanager.<Operation>` and JSON bodies, errors named by `__type`.

/** The content type the AWS JSON 1.1 protocol uses both ways. */
export const awsJsonContentType = "application/x-amz-json-1.1";

/** The `x-amz-target` prefix of Secrets Manager operations. */
export const targetPrefix = "secretsmanager.";

/** A successful AWS JSON 1.1 answer, with a fresh request id like every AWS response. */
export function awsJsonOk(body: unknown): HttpAnswer {
  return {
    status: 200,
    headers: { "content-type": awsJsonContentType, "x-amzn-requestid": randomUUID() },
    body: JSON.stringify(body),
  };
}

/**
 * An AWS JSON 1.1 error: `__type` in the body and `x-amzn-errortype` in the headers, which is
 * where the SDK looks (`loadJsonRpcErrorCode`) to pick the exception class and decide on retries.
 */
export function awsJsonError(type: string, message: string, status = 400): HttpAnswer {
  return {
    status,
    headers: {
      "content-type": awsJsonContentType,
      "x-amzn-requestid": randomUUID(),
      "x-amzn-errortype": type,
    },
    body: JSON.stringify({ __type: type, Message: message }),
  };
}

/** Who signed a request, read from its SigV4 credential scope. */
export type SigV4Scope = { accessKeyId: string; region: string; service: string };

/**
 * Checks that a request carries a SigV4 signature scoped to Secrets Manager in `region`, answering
 * with the errors AWS gives otherwise. The signature itself is not recomputed: any credentials work,
 * as with other local AWS stand-ins.
 */
export function checkSigV4(headers: Record<string, string>, region: string): SigV4Scope | HttpAnswer {
  const authorization = headers.authorization;
  if (authorization === undefined) {
    return awsJsonError("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=[^,]+,\s*Signature=[0-9a-f]{64}$/.exec(
      authorization,
    );
  if (match === null) {
    return awsJsonError(
      "IncompleteSignatureException",
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of an AWS4-HMAC-SHA256 signature.",
    );
  }
  if (headers["x-amz-date"] === undefined && headers.date === undefined) {
    return awsJsonError(
      "IncompleteSignatureException",
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const [, accessKeyId = "", , scopeRegion = "", service = ""] = match;
  if (service !== "secretsmanager") {
    return awsJsonError(
      "InvalidSignatureException",
      "Credential should be scoped to correct service: 'secretsmanager'.",
    );
  }
  if (scopeRegion !== region) {
    return awsJsonError(
      "InvalidSignatureException",
      `Credential should be scoped to a valid region, not '${scopeRegion}'.`,
    );
  }
  return { accessKeyId, region: scopeRegion, service };
}

/** Error types a test can make the endpoint answer with, as {@link SecretsManagerFault}s. */
export type SecretsManagerErrorType =
  | "ThrottlingException"
  | "ResourceNotFoundException"
  | "AccessDeniedException"
  | "DecryptionFailure"
  | "InternalServiceError";

// Messages as AWS writes them; statuses as AWS sends them. ThrottlingException and AccessDeniedException
// are not in the Secrets Manager model: the SDK still names the error after `__type` and retries throttling.
const errorDefaults: Record<SecretsManagerErrorType, { status: number; message: string }> = {
  ThrottlingException: { status: 400, message: "Rate exceeded" },
  ResourceNotFoundException: { status: 400, message: "Secrets Manager can't find the specified secret." },
  AccessDeniedException: {
    status: 400,
    message:
      "User is not authorized to perform: secretsmanager:GetSecretValue because no identity-based policy allows it",
  },
  DecryptionFailure: {
    status: 400,
    message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
  },
  InternalServiceError: { status: 500, message: "An error occurred on the server side." },
};

/** The AWS answer for an injected error `type`, with its usual status unless `status` overrides it. */
export function injectedError(type: SecretsManagerErrorType, status?: number): HttpAnswer {
  const defaults = errorDefaults[type];
  return awsJsonError(type, defaults.message, status ?? defaults.status);
}
