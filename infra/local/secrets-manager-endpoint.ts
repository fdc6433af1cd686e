import { generateCredentials } from "./local-credentials.ts";
import { flattenHeaders, pause, readBodyBytes, startLoopbackServer, writeAnswer } from "./loopback-server.ts";
import {
  awsJsonContentType,
  awsJsonError,
  injectedError,
  type SecretsManagerErrorType,
  signatureError,
  targetPrefix,
} from "./secrets-manager-protocol.ts";
import { createSecretStore } from "./secrets-manager-store.ts";
import { type AwsCredentials, createSigV4Verifier } from "./sigv4-verifier.ts";

/**
 * A misbehaviour the endpoint plays for one request: an AWS error of `type` (HTTP 400, or 500 for
 * InternalServiceError, unless `status` says otherwise), a delay of `ms` before answering normally,
 * or `down`: the socket is destroyed without an answer.
 */
export type SecretsManagerFault =
  | { kind: "error"; type: SecretsManagerErrorType; status?: number }
  | { kind: "hang"; ms: number }
  | { kind: "down" };

/** One request as received; `target` is the raw `x-amz-target` header. */
export type SecretsManagerCall = {
  target: string;
  secretId?: string;
  /** The access key whose signature verified; absent when the request was refused for its signature. */
  accessKeyId?: string;
  fault?: SecretsManagerFault;
};

/** Options of {@link startSecretsManagerEndpoint}. */
export type SecretsManagerEndpointOptions = {
  /** Secrets to create at start and on `reset()`, by name. @default {} */
  secrets?: Record<string, string>;
  /** Region requests must be signed for; it also appears in ARNs. @default "us-east-1" */
  region?: string;
  /**
   * The only credentials whose SigV4 signatures are accepted: the ones the function was given.
   * @default a generated pair, read back from `credentials`
   */
  credentials?: AwsCredentials;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** Clock in epoch milliseconds, for `CreatedDate`. @default Date.now */
  now?: () => number;
};

/** A running Secrets Manager stand-in speaking AWS JSON 1.1, usable as the SDK's `endpoint`. */
export type SecretsManagerEndpoint = {
  /** Endpoint URL without a trailing slash, for `endpoint` or `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  url: string;
  /** The credentials it accepts; give them to the SDK client (or the function's environment). */
  readonly credentials: AwsCredentials;
  /** How many `GetSecretValue` requests arrived (faulted ones included) since start or `reset()`. */
  readonly getSecretValueCalls: number;
  /** Every request received, oldest first; the same array for the endpoint's lifetime. */
  readonly calls: readonly SecretsManagerCall[];
  /** Creates or rotates a secret (a new current version); `id` is a name or an ARN it knows. */
  putSecret(id: string, value: string): void;
  /** The full ARN of a secret, as GetSecretValue returns it. */
  arn(name: string): string | undefined;
  /** Queues faults, played one per incoming request, first in first out. */
  inject(...faults: SecretsManagerFault[]): void;
  /** Forgets calls and queued faults and restores the initial secrets (with new versions). */
  reset(): void;
  /** Closes the server, ending hung answers and keep-alive sockets. */
  close(): Promise<void>;
};

/**
 * Starts a loopback Secrets Manager endpoint that the real `@aws-sdk/client-secrets-manager` can
 * call. Like AWS, it verifies every request's SigV4 signature (service `secretsmanager`, its
 * region, the given credentials, 5 minutes of skew) before anything else: a caller without the
 * credentials gets `UnrecognizedClientException` or `InvalidSignatureException`, never a secret.
 */
export async function startSecretsManagerEndpoint(
  options: SecretsManagerEndpointOptions = {},
): Promise<SecretsManagerEndpoint> {
  const region = options.region ?? "us-east-1";
  const initial = options.secrets ?? {};
  const store = createSecretStore(region, initial, options.now ?? Date.now);
  const calls: SecretsManagerCall[] = [];
  const queue: SecretsManagerFault[] = [];
  const credentials = options.credentials ?? generateCredentials("LOCALSM");
  const verify = createSigV4Verifier({ service: "secretsmanager", region, credentials: [credentials] });

  const server = await startLoopbackServer(async (req, res, signal) => {
    const body = await readBodyBytes(req);
    const headers = flattenHeaders(req);
    const target = headers["x-amz-target"] ?? "";
    const input = parseInput(body.toString("utf8"));
    const call: SecretsManagerCall = {
      target,
      ...(typeof input?.SecretId === "string" && { secretId: input.SecretId }),
    };
    calls.push(call);
    if (req.method !== "POST" || req.url !== "/") {
      return writeAnswer(
        res,
        awsJsonError("UnknownOperationException", `No operation at ${req.method} ${req.url}`, 404),
      );
    }
    const signer = verify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body });
    if (!signer.ok) return writeAnswer(res, signatureError(signer.failure, signer.message));
    call.accessKeyId = signer.accessKeyId;

    const fault = queue.shift();
    if (fault) call.fault = fault;
    if (fault?.kind === "down") return void res.destroy();
    if (fault?.kind === "error") return writeAnswer(res, injectedError(fault.type, fault.status));
    if (fault?.kind === "hang" && !(await pause(fault.ms, signal))) return void res.destroy();
    // AWS's exact answer to a foreign content type is undocumented; the SDK always sends this one.
    if (headers["content-type"] !== awsJsonContentType || !target.startsWith(targetPrefix)) {
      return writeAnswer(res, awsJsonError("UnknownOperationException", `Unknown operation ${target}`));
    }
    if (input === undefined) {
      return writeAnswer(res, awsJsonError("SerializationException", "Request body is not a JSON object"));
    }
    const operation = target.slice(targetPrefix.length);
    const answer = store.serve(operation, input);
    writeAnswer(
      res,
      answer ?? awsJsonError("UnknownOperationException", `Unsupported operation ${operation}`),
    );
  }, options.port);

  return {
    url: server.url,
    credentials,
    get getSecretValueCalls() {
      return calls.filter((call) => call.target === `${targetPrefix}GetSecretValue`).length;
    },
    calls,
    putSecret(id, value) {
      store.put(id, value);
    },
    arn: (name) => store.arn(name),
    inject(...faults) {
      queue.push(...faults);
    },
    reset() {
      calls.length = 0;
      queue.length = 0;
      store.reset(initial);
    },
    close: () => server.close(),
  };
}

/** Parses a JSON object body; undefined when it is not one. */
function parseInput(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
