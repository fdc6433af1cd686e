import { randomBytes } from "node:crypto";
import type { AwsCredentials } from "./sigv4-verifier.ts";

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * A fresh long-term key pair for local use only: a 20-character access key id starting with
 * `prefix` (never `AKIA`, so secret scanners and people do not take it for a real AWS key) and a
 * 40-character secret, as AWS's are.
 */
export function generateCredentials(prefix = "LOCAL"): AwsCredentials {
  const random = randomBytes(20);
  const suffix = Array.from(random.subarray(0, 20 - prefix.length), (byte) => KEY_ALPHABET[byte % 32]).join(
    "",
  );
  return {
    accessKeyId: `${prefix}${suffix}`,
    secretAccessKey: randomBytes(30).toString("base64url"),
  };
}

/** Thrown when LOCAL_ACCESS_KEY_ID / LOCAL_SECRET_ACCESS_KEY are set badly; the message names them. */
export class LocalCredentialsError extends Error {
  override readonly name = "LocalCredentialsError";
}

/**
 * The credentials callers of the local IAM route sign with: `LOCAL_ACCESS_KEY_ID` and
 * `LOCAL_SECRET_ACCESS_KEY` when both are set (so a backend's configuration can stay the same
 * across restarts), else a generated pair. The id must fit in a SigV4 credential scope.
 */
export function callerCredentialsFrom(env: Record<string, string | undefined>): AwsCredentials {
  const accessKeyId = env.LOCAL_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = env.LOCAL_SECRET_ACCESS_KEY || undefined;
  if (accessKeyId === undefined && secretAccessKey === undefined) return generateCredentials();
  const problems: string[] = [];
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    problems.push("LOCAL_ACCESS_KEY_ID and LOCAL_SECRET_ACCESS_KEY must be set together");
  }
  if (accessKeyId !== undefined && !/^[A-Za-z0-9]{16,128}$/.test(accessKeyId)) {
    problems.push("LOCAL_ACCESS_KEY_ID must be 16 to 128 letters and digits");
  }
  if (secretAccessKey !== undefined && !/^[\x21-\x7e]{16,128}$/.test(secretAccessKey)) {
    problems.push("LOCAL_SECRET_ACCESS_KEY must be 16 to 128 printable characters without spaces");
  }
  if (problems.length > 0) throw new LocalCredentialsError(problems.join("; "));
  return { accessKeyId: accessKeyId as string, secretAccessKey: secretAccessKey as string };
}
