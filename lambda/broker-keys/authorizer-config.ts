import * as z from "zod/mini";
import { formatProblem, SECRET_ID_PATTERN } from "../environment-variable.ts";
import { toFieldProblems } from "../errors/field-problems.ts";

/**
 * The authorizer's environment, parsed once at cold start. Example:
 * `{ "BROKER_KEYS_TABLE_NAME": "VaultSessionBroker-BrokerKeysTable1A2B3C", "BROKER_KEYS_PEPPER_SECRET_ID": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:broker-key-pepper-AbCdEf" }`
 */
export const AuthorizerEnvironmentSchema = z.object({
  /** DynamoDB's table name rules: 3 to 255 of letters, digits, `_`, `-` and `.`. */
  BROKER_KEYS_TABLE_NAME: z.string().check(z.regex(/^[\w.-]{3,255}$/, "must be a DynamoDB table name")),
  /** Secret name or ARN, as GetSecretValue takes it. */
  BROKER_KEYS_PEPPER_SECRET_ID: z.string().check(z.regex(SECRET_ID_PATTERN, "must be a secret name or ARN")),
});

/** What the authorizer reads. */
export interface AuthorizerConfig {
  readonly tableName: string;
  readonly pepperSecretId: string;
}

/** The configuration is unusable; thrown at cold start with every bad variable named. */
export class InvalidAuthorizerEnvironmentError extends Error {
  override readonly name = "InvalidAuthorizerEnvironmentError";
}

/** Parses the environment into an `AuthorizerConfig`, or throws naming every invalid variable. */
export function loadAuthorizerConfig(env: Readonly<Record<string, string | undefined>>): AuthorizerConfig {
  const parsed = AuthorizerEnvironmentSchema.safeParse(env, { reportInput: true });
  if (!parsed.success) {
    const problems = toFieldProblems(parsed.error.issues).map(formatProblem);
    throw new InvalidAuthorizerEnvironmentError(`Invalid configuration: ${problems.join("; ")}`);
  }
  return {
    tableName: parsed.data.BROKER_KEYS_TABLE_NAME,
    pepperSecretId: parsed.data.BROKER_KEYS_PEPPER_SECRET_ID,
  };
}
