import { BrokerError } from "./broker-error.ts";

/** The operator's setup is wrong (environment, secret content, permissions). Never the caller's fault. */
export abstract class ConfigurationError extends BrokerError {}

/** One or more environment variables are missing or invalid; thrown at cold start. */
export class InvalidEnvironmentError extends ConfigurationError {
  override readonly name = "InvalidEnvironmentError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** The secret does not hold an API key in a supported form (the value itself is never quoted). */
export class SecretFormatError extends ConfigurationError {
  override readonly name = "SecretFormatError";
  constructor(reason: string) {
    super(`The Apideck API key secret is malformed: ${reason}.`);
  }
}

/** Secrets Manager refused the read in a way only the operator can fix (not found, access, KMS). */
export class SecretAccessError extends ConfigurationError {
  override readonly name = "SecretAccessError";
  constructor(awsErrorName: string, options?: ErrorOptions) {
    super(`Secrets Manager refused to return the Apideck API key (${awsErrorName}).`, options);
  }
}

/** Secrets Manager is unreachable or throttling even after the SDK's retries; may clear by itself. */
export class SecretUnavailableError extends BrokerError {
  override readonly name = "SecretUnavailableError";
  constructor(awsErrorName: string, options?: ErrorOptions) {
    super(`Secrets Manager is unavailable (${awsErrorName}).`, options);
  }
}
