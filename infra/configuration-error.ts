/**
 * Settings that cannot be deployed, found at synth. `problems` lists every one, each under the name
 * the user typed (a context key or a construct prop) with the form it accepts; the message is the
 * list, ready to print as is (infra/app.ts prints it without a stack trace).
 */
export class InvalidConfigurationError extends Error {
  override readonly name: string = "InvalidConfigurationError";
  readonly problems: readonly string[];

  constructor(heading: string, problems: readonly string[]) {
    super(`${heading}\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.problems = problems;
  }
}

/** `VaultSessionBroker` props that the function would refuse or AWS would reject; names each prop. */
export class InvalidBrokerPropsError extends InvalidConfigurationError {
  override readonly name = "InvalidBrokerPropsError";

  constructor(problems: readonly string[]) {
    super("Invalid VaultSessionBroker props:", problems);
  }
}

/** CDK context (cdk.json, cdk.context.json or `-c key=value`) that cannot be deployed; names each key. */
export class InvalidDeployContextError extends InvalidConfigurationError {
  override readonly name = "InvalidDeployContextError";

  constructor(problems: readonly string[]) {
    super("Invalid CDK context (cdk.json or -c key=value):", problems);
  }
}
