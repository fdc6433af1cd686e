import { randomInt, randomUUID } from "node:crypto";
import type { HttpAnswer } from "./loopback-server.ts";
import { awsJsonError, awsJsonOk } from "./secrets-manager-protocol.ts";

/** One secret with its current (`AWSCURRENT`) version; dates are epoch milliseconds. */
export type StoredSecret = {
  name: string;
  arn: string;
  value: string;
  versionId: string;
  created: number;
  changed: number;
};

/** The secrets of one fake account and region, and the operations the endpoint serves on them. */
export type SecretStore = {
  /** Creates the secret, or stores a new current version of it; `id` is a name or a known ARN. */
  put(id: string, value: string, versionId?: string): StoredSecret;
  /** The full ARN of the secret named `name` (its random suffix is fixed when it is created). */
  arn(name: string): string | undefined;
  /** Drops every secret, then creates `initial` again with fresh versions. */
  reset(initial: Record<string, string>): void;
  /** Serves a JSON 1.1 operation by name; undefined when the operation is not implemented. */
  serve(operation: string, input: Record<string, unknown>): HttpAnswer | undefined;
};

const accountId = "000000000000";
const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const notFound = "Secrets Manager can't find the specified secret.";

/** Creates a store of secrets in `region`; `now` returns epoch milliseconds. */
export function createSecretStore(
  region: string,
  initial: Record<string, string>,
  now: () => number,
): SecretStore {
  const byName = new Map<string, StoredSecret>();
  const arnPrefix = `arn:aws:secretsmanager:${region}:${accountId}:secret:`;

  // A SecretId is a name, a full ARN or a partial ARN (without the 6-character suffix), as in AWS.
  const find = (id: string): StoredSecret | undefined => {
    if (!id.startsWith(arnPrefix)) return byName.get(id);
    for (const secret of byName.values()) {
      if (secret.arn === id || `${arnPrefix}${secret.name}` === id) return secret;
    }
    return undefined;
  };

  const put = (id: string, value: string, versionId: string = randomUUID()): StoredSecret => {
    const existing = find(id);
    if (existing !== undefined) {
      Object.assign(existing, { value, versionId, changed: now() });
      return existing;
    }
    const suffix = Array.from({ length: 6 }, () => suffixAlphabet[randomInt(suffixAlphabet.length)]).join("");
    const secret = {
      name: id,
      arn: `${arnPrefix}${id}-${suffix}`,
      value,
      versionId,
      created: now(),
      changed: now(),
    };
    byName.set(id, secret);
    return secret;
  };

  const operations: Record<string, (input: Record<string, unknown>) => HttpAnswer> = {
    GetSecretValue(input) {
      const secret = lookup(input);
      if (!("arn" in secret)) return secret;
      if (input.VersionId !== undefined && input.VersionId !== secret.versionId) {
        return awsJsonError(
          "ResourceNotFoundException",
          `${notFound.slice(0, -1)} value for VersionId: ${input.VersionId}`,
        );
      }
      if (input.VersionStage !== undefined && input.VersionStage !== "AWSCURRENT") {
        return awsJsonError(
          "ResourceNotFoundException",
          `${notFound.slice(0, -1)} value for staging label: ${input.VersionStage}`,
        );
      }
      return awsJsonOk({
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.value,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: secret.changed / 1000,
      });
    },
    PutSecretValue(input) {
      if (typeof input.SecretString !== "string") {
        return awsJsonError(
          "InvalidParameterException",
          "You must provide either SecretString or SecretBinary.",
        );
      }
      const secret = lookup(input);
      if (!("arn" in secret)) return secret;
      const token = typeof input.ClientRequestToken === "string" ? input.ClientRequestToken : undefined;
      const updated = put(secret.name, input.SecretString, token);
      return awsJsonOk({
        ARN: updated.arn,
        Name: updated.name,
        VersionId: updated.versionId,
        VersionStages: ["AWSCURRENT"],
      });
    },
    DescribeSecret(input) {
      const secret = lookup(input);
      if (!("arn" in secret)) return secret;
      return awsJsonOk({
        ARN: secret.arn,
        Name: secret.name,
        CreatedDate: secret.created / 1000,
        LastChangedDate: secret.changed / 1000,
        VersionIdsToStages: { [secret.versionId]: ["AWSCURRENT"] },
      });
    },
  };

  function lookup(input: Record<string, unknown>): StoredSecret | HttpAnswer {
    if (typeof input.SecretId !== "string" || input.SecretId === "") {
      return awsJsonError(
        "ValidationException",
        "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
      );
    }
    return find(input.SecretId) ?? awsJsonError("ResourceNotFoundException", notFound);
  }

  const reset = (secrets: Record<string, string>) => {
    byName.clear();
    for (const [name, value] of Object.entries(secrets)) put(name, value);
  };
  reset(initial);

  return {
    put,
    arn: (name) => byName.get(name)?.arn,
    reset,
    serve: (operation, input) =>
      Object.hasOwn(operations, operation) ? operations[operation]?.(input) : undefined,
  };
}
