import { SecretValue, Validations } from "aws-cdk-lib";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";

// A value the function's secret reader rejects (it has spaces), so an unconfigured deploy fails with a
// clear secret-format error instead of sending a bogus key to Apideck. Deployers replace it with
// `aws secretsmanager put-secret-value` (see the README); the template only ever holds this placeholder.
const PLACEHOLDER = JSON.stringify({ apiKey: "REPLACE ME with aws secretsmanager put-secret-value" });

/** Creates the secret for the Apideck API key, holding a placeholder until a deployer puts the key. */
export function createApiKeySecret(scope: Construct, id: string, encryptionKey?: IKey): Secret {
  const secret = new Secret(scope, id, {
    description: "Apideck API key of the Vault session broker",
    encryptionKey,
    secretStringValue: SecretValue.unsafePlainText(PLACEHOLDER),
  });
  Validations.of(secret).acknowledge({
    id: "AwsSolutions-SMG4",
    reason:
      "A third-party Apideck API key cannot be rotated by a Secrets Manager rotation Lambda; " +
      "it is rotated in Apideck and written with put-secret-value.",
  });
  return secret;
}

/**
 * What the function passes to GetSecretValue: the complete ARN when known, else the name (a
 * name-imported secret has no complete ARN, and the API accepts names).
 */
export function secretIdOf(secret: ISecret): string {
  return secret.secretFullArn ?? secret.secretName;
}

/**
 * Grants `secretsmanager:GetSecretValue` on this one secret, and `kms:Decrypt` on its customer-managed
 * key when there is one. An explicit statement rather than `secret.grantRead`, which adds DescribeSecret.
 */
export function grantSecretValue(grantee: IGrantable, secret: ISecret, encryptionKey?: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["secretsmanager:GetSecretValue"],
      // Without a complete ARN (name import), `-??????` matches exactly the 6-character suffix Secrets
      // Manager appends to every secret ARN: it matches this secret and no other.
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }),
  );
  if (!encryptionKey) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["kms:Decrypt"],
      resources: [encryptionKey.keyArn],
      // Only when Secrets Manager decrypts on the function's behalf, not for arbitrary ciphertext.
      conditions: {
        StringEquals: { "kms:ViaService": `secretsmanager.${secret.env.region}.amazonaws.com` },
      },
    }),
  );
}
