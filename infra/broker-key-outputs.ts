import { CfnOutput, type Stack } from "aws-cdk-lib";
import type { BrokerKeys } from "./broker-keys.ts";

/**
 * The stack outputs an operator needs for broker keys: where the SDKs point (`SdkServerUrl`), and
 * what `npm run keys` takes (`--table`, `--pepper-secret-id`), plus the authorizer's log group.
 */
export function addBrokerKeyOutputs(stack: Stack, keys: BrokerKeys, apiEndpoint: string): void {
  new CfnOutput(stack, "SdkServerUrl", {
    value: `${apiEndpoint}/sdk`,
    description: "serverURL of the Apideck SDKs with a broker key (POST /sdk/vault/sessions)",
  });
  new CfnOutput(stack, "BrokerKeysTableName", {
    value: keys.table.tableName,
    description: "npm run keys -- ... --table <this>",
  });
  new CfnOutput(stack, "BrokerKeyPepperSecretArn", {
    value: keys.pepper.secretArn,
    description: "npm run keys -- create ... --pepper-secret-id <this>",
  });
  new CfnOutput(stack, "AuthorizerLogGroup", {
    value: keys.authorizerLogGroup.logGroupName,
    description: "One JSON line per broker-key decision: aws logs tail <this> --follow",
  });
}
