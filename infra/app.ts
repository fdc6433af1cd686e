import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { InvalidConfigurationError } from "./configuration-error.ts";
import { parseDeployContext } from "./deploy-context.ts";
import { VaultSessionBrokerStack } from "./vault-session-broker-stack.ts";

// The CDK app: context in, one env-agnostic stack out (synth needs no AWS account), checked by cdk-nag.
const app = new App();
try {
  new VaultSessionBrokerStack(app, "VaultSessionBroker", {
    description: "Apideck Vault session broker (Lambda + HTTP API)",
    deploy: parseDeployContext(app.node.getAllContext()),
  });
  // cdk-nag v3 is a policy-validation plugin, no longer an Aspect: any unacknowledged finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
} catch (error) {
  // Settings the user typed wrong: the list of problems is the whole message, printed once; a stack
  // trace would only bury it. Anything else is a bug and keeps its trace.
  if (!(error instanceof InvalidConfigurationError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
