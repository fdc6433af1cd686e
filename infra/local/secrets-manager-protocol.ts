import { randomUUID } from "node:crypto";
import type { HttpAnswer } from "./loopback-server.ts";
import { type SigV4Failure, sigV4ErrorType } from "./sigv4-verifier.ts";

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

/** Secrets Manager's answer to a refused SigV4 signature (sigv4-verifier.ts): HTTP 400 with AWS's message. */
export function signatureError(failure: SigV4Failure, message: string): HttpAnswer {
  return awsJsonError(sigV4ErrorType(failure), message);
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
