import { Aws } from "aws-cdk-lib";
import { Effect, PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";

/** What the key encrypts besides the two log groups. */
export interface LogsKeyUse {
  /** The construct creates the alarm topic and encrypts it with the key. */
  readonly alarmTopic: boolean;
}

/**
 * The key-policy statements a customer-managed key needs to encrypt the broker's log groups and
 * alarm topic (Control Tower's CT.CLOUDWATCH.PR.3 and SNS encryption controls):
 * - CloudWatch Logs in this region, for log groups of this account and region only (the
 *   `kms:EncryptionContext:aws:logs:arn` condition). Not for the two log groups by name: the log
 *   groups refer to the key, so a key in the same stack cannot refer back to them.
 * - CloudWatch alarms of this account, when the alarm topic is encrypted: they publish to it, and
 *   SNS encrypts with the publisher's permissions (`aws:SourceAccount`/`aws:SourceArn` conditions).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export function logsKeyPolicyStatements(use: LogsKeyUse): PolicyStatement[] {
  const statements = [
    new PolicyStatement({
      sid: "CloudWatchLogsEncryptsBrokerLogs",
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      resources: ["*"],
      conditions: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
        },
      },
    }),
  ];
  if (use.alarmTopic) {
    statements.push(
      new PolicyStatement({
        sid: "CloudWatchAlarmsPublishToBrokerTopic",
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: {
          StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
          ArnLike: {
            "aws:SourceArn": `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
  }
  return statements;
}

/**
 * Adds the statements to the key's policy. Returns false when the key is imported (by ARN): its
 * policy is not part of this app, and the operator must add the statements themselves.
 */
export function addLogsKeyPolicy(key: IKey, statements: readonly PolicyStatement[]): boolean {
  return statements.map((statement) => key.addToResourcePolicy(statement).statementAdded).every(Boolean);
}
