import { Annotations, Match } from "aws-cdk-lib/assertions";
import { Key } from "aws-cdk-lib/aws-kms";
import { describe, expect, it } from "vitest";
import { buildBroker, cfnString, nagFindings } from "./broker-fixture.ts";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const LOGS_STATEMENT = {
  Sid: "CloudWatchLogsEncryptsBrokerLogs",
  Effect: "Allow",
  Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
  Resource: "*",
};
const ALARMS_STATEMENT = {
  Sid: "CloudWatchAlarmsPublishToBrokerTopic",
  Effect: "Allow",
  Principal: { Service: "cloudwatch.amazonaws.com" },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
};

describe("Construct: VaultSessionBroker", () => {
  describe("customer-managed key for logs and alarms", () => {
    it("encrypts both log groups and the alarm topic with the key", () => {
      const { template } = buildBroker((stack) => ({
        logsEncryptionKey: Key.fromKeyArn(stack, "LogsKey", KEY_ARN),
        alarmEmail: "ops@example.com",
      }));

      template.resourceCountIs("AWS::Logs::LogGroup", 2);
      template.allResourcesProperties("AWS::Logs::LogGroup", { KmsKeyId: KEY_ARN });
      template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: KEY_ARN });
    });

    it("adds what CloudWatch Logs and CloudWatch alarms need to the policy of a key of this app", () => {
      const { stack, template } = buildBroker((stack) => ({
        logsEncryptionKey: new Key(stack, "LogsKey", { enableKeyRotation: true }),
        alarmEmail: "ops@example.com",
      }));

      const [key] = Object.values(template.findResources("AWS::KMS::Key"));
      const statements = key?.Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
      const logs = statements.find((s) => s.Sid === LOGS_STATEMENT.Sid) as Record<string, unknown>;
      expect(logs).toMatchObject(LOGS_STATEMENT);
      expect(cfnString((logs.Principal as { Service: unknown }).Service)).toBe(
        "logs.<AWS::Region>.amazonaws.com",
      );
      const context = (logs.Condition as { ArnLike: Record<string, unknown> }).ArnLike;
      expect(cfnString(context["kms:EncryptionContext:aws:logs:arn"])).toBe(
        "arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*",
      );
      const alarms = statements.find((s) => s.Sid === ALARMS_STATEMENT.Sid);
      expect(alarms).toMatchObject(ALARMS_STATEMENT);
      expect(alarms?.Condition).toEqual({
        StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
        ArnLike: { "aws:SourceArn": expect.anything() },
      });
      expect(Annotations.fromStack(stack).findWarning("*", Match.anyValue())).toEqual([]);
    });

    it("asks nothing of the key for alarms when it encrypts no topic", () => {
      const { stack, broker } = buildBroker((stack) => ({
        logsEncryptionKey: Key.fromKeyArn(stack, "LogsKey", KEY_ARN),
      }));

      const statements = JSON.parse(cfnString(stack.resolve(broker.logsKeyPolicyStatements)));
      expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual([LOGS_STATEMENT.Sid]);
    });

    it("warns that an imported key's policy must already hold the statements, and states them", () => {
      const { stack, broker } = buildBroker((stack) => ({
        logsEncryptionKey: Key.fromKeyArn(stack, "LogsKey", KEY_ARN),
        alarmEmail: "ops@example.com",
      }));

      Annotations.fromStack(stack).hasWarning(
        "*",
        Match.stringLikeRegexp("logsEncryptionKey is imported, so its key policy is not changed here"),
      );
      const statements = JSON.parse(cfnString(stack.resolve(broker.logsKeyPolicyStatements)));
      expect(statements).toEqual([
        expect.objectContaining(LOGS_STATEMENT),
        expect.objectContaining(ALARMS_STATEMENT),
      ]);
    });

    it("uses no customer-managed key by default", () => {
      const { broker, template } = buildBroker({ alarmEmail: "ops@example.com" });

      template.allResourcesProperties("AWS::Logs::LogGroup", { KmsKeyId: Match.absent() });
      template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.absent() });
      expect(broker.logsKeyPolicyStatements).toBeUndefined();
    });

    it("passes cdk-nag with the key on", async () => {
      const { stack } = buildBroker((stack) => ({
        logsEncryptionKey: Key.fromKeyArn(stack, "LogsKey", KEY_ARN),
        alarmEmail: "ops@example.com",
      }));

      expect(await nagFindings(stack)).toEqual([]);
    });
  });
});
