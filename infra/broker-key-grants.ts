import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Grant, type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { KEY_TABLE_PARTITION_KEY } from "../lambda/broker-keys/key-item.ts";
import { grantSecretValue } from "./broker-secret.ts";

/**
 * The authorizer's rights: GetItem on the key table; UpdateItem on it limited to the key and
 * `last_used_at` (IAM's `dynamodb:Attributes` condition), so even a compromised authorizer cannot
 * un-revoke, extend or re-scope a key; GetSecretValue on the pepper. Explicit statements rather
 * than `grantReadData`, which adds Query, Scan and BatchGetItem.
 */
export function grantKeyReads(grantee: IGrantable, table: ITable, pepper: ISecret, key?: IKey): void {
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ["dynamodb:GetItem"], resources: [table.tableArn] }),
  );
  principal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["dynamodb:UpdateItem"],
      resources: [table.tableArn],
      conditions: {
        "ForAllValues:StringEquals": { "dynamodb:Attributes": [KEY_TABLE_PARTITION_KEY, "last_used_at"] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
      },
    }),
  );
  grantSecretValue(grantee, pepper, key);
  key?.grantDecrypt(grantee);
}

/**
 * The operator tool's rights (create, list, revoke, rotate): item reads and writes and Scan on the
 * key table, and GetSecretValue on the pepper to hash new keys. No DeleteItem: a key is revoked,
 * not erased, so its record stays for audit.
 */
export function grantKeyWrites(grantee: IGrantable, table: ITable, pepper: ISecret, key?: IKey): Grant {
  const grant = Grant.addToPrincipal({
    grantee,
    actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Scan"],
    resourceArns: [table.tableArn],
  });
  grantSecretValue(grantee, pepper, key);
  key?.grantEncryptDecrypt(grantee);
  return grant;
}
