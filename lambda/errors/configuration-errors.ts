import { BrokerError } from "./broker-error.ts";

/**
 * The operator's setup is wrong (environment, secret content, permissions). Never the caller's
 * fault, and retrying does not help: it carries `operatorAction`, what the operator must change,
 * which the request log line reports as `operator_action`.
 */
export abstract class ConfigurationError extends BrokerError {
  readonly operatorAction: string;
  constructor(message: string, operatorAction: string, options?: ErrorOptions) {
    super(message, options);
    this.operatorAction = operatorAction;
  }
}

/**
 * One or more environment variables are missing or invalid; thrown at cold start. `problems` are in
 * the one format of configuration problems, `NAME must be <accepted form>` (environment-variable.ts).
 */
export class InvalidEnvironmentError extends ConfigurationError {
  override readonly name = "InvalidEnvironmentError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `Invalid configuration, the function cannot start: ${problems.join("; ")}.`,
      "Correct the environment variables named in the message.",
    );
    this.problems = problems;
  }
}

/** The secret does not hold an API key in a supported form (the value itself is never quoted). */
export class SecretFormatError extends ConfigurationError {
  override readonly name = "SecretFormatError";
  constructor(reason: string) {
    super(
      `The Apideck API key secret is malformed: ${reason}.`,
      'Store the Apideck API key in the secret as a plain string or as JSON {"apiKey": "..."}.',
    );
  }
}

/** Options of `SecretAccessError`: the cause, and what the operator must change. */
export interface SecretAccessErrorOptions extends ErrorOptions {
  /** @default a generic hint at the secret id, the region and the role's permissions */
  readonly operatorAction?: string;
}

/**
 * Secrets Manager (or the SDK before it) refused the read in a way only the operator can fix: no
 * region, no or bad credentials, no such secret, no permission, KMS, a deleted secret.
 */
export class SecretAccessError extends ConfigurationError {
  override readonly name = "SecretAccessError";
  constructor(reason: string, { operatorAction, ...options }: SecretAccessErrorOptions = {}) {
    super(
      `Secrets Manager refused to return the Apideck API key (${reason}).`,
      operatorAction ??
        "Check APIDECK_SECRET_ID, the function's region and its permission to read the secret.",
      options,
    );
  }
}

/** Secrets Manager is throttling, slow, unreachable or failing (5xx) even after the SDK's retries; may clear by itself. */
export class SecretUnavailableError extends BrokerError {
  override readonly name = "SecretUnavailableError";
  constructor(reason: string, options?: ErrorOptions) {
    super(`Secrets Manager is unavailable (${reason}).`, options);
  }
}
