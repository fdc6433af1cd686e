import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { parseDeployContext } from "./deploy-context.ts";
import { VaultSessionBrokerStack } from "./vault-session-broker-stack.ts";

// The CDK app: context in, one env-agnostic stack out (synth needs no AWS account), checked by cdk-nag.
const app = new App();
new VaultSessionBrokerStack(app, "VaultSessionBroker", {
  description: "Apideck Vault session broker (Lambda + HTTP API)",
  deploy: parseDeployContext((key) => app.node.tryGetContext(key)),
});
// cdk-nag v3 is a policy-validation plugin, no longer an Aspect: any unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
