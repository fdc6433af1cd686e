import { Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { AccountRootPrincipal, Role } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { BrokerKeys, type BrokerKeysSettings } from "../../infra/broker-keys.ts";
import { parseDeployContext } from "../../infra/deploy-context.ts";
import { VaultSessionBrokerStack } from "../../infra/vault-session-broker-stack.ts";
import { INLINE_CODE, nagFindings, policyStatements, testApp } from "./broker-fixture.ts";

/** The deployable stack with `-c brokerKeys=true`, inline code for both functions. */
function buildStack(context: Record<string, string> = {}) {
  const values: Record<string, string> = { appId: "test-app-id", brokerKeys: "true", ...context };
  const stack = new VaultSessionBrokerStack(testApp(), "VaultSessionBroker", {
    deploy: parseDeployContext(values),
    functionCode: INLINE_CODE,
    authorizerCode: INLINE_CODE,
  });
  return { stack, template: Template.fromStack(stack) };
}

/** The construct alone on a bare HTTP API. */
function buildKeys(
  settings: BrokerKeysSettings | ((stack: Stack) => BrokerKeysSettings) = {},
  afterwards?: (keys: BrokerKeys, stack: Stack) => void,
) {
  const stack = new Stack(testApp(), "Keys");
  const handler = new LambdaFunction(stack, "Broker", {
    code: INLINE_CODE,
    handler: "index.handler",
    runtime: Runtime.NODEJS_24_X,
  });
  const keys = new BrokerKeys(stack, "BrokerKeys", {
    httpApi: new HttpApi(stack, "Api", { createDefaultStage: false }),
    handler,
    logRetention: RetentionDays.ONE_MONTH,
    authorizerCode: INLINE_CODE,
    ...(typeof settings === "function" ? settings(stack) : settings),
  });
  afterwards?.(keys, stack);
  return { stack, keys, template: Template.fromStack(stack) };
}

describe("Construct: BrokerKeys", () => {
  it("adds no broker-key resources unless the brokerKeys context key is set", () => {
    const { stack, template } = buildStack({ brokerKeys: "false" });

    template.resourceCountIs("AWS::DynamoDB::Table", 0);
    expect(stack.brokerKeys).toBeUndefined();
  });

  it("creates the key table on demand, with point-in-time recovery, encryption and deletion protection, retained", () => {
    const { template } = buildStack();

    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: {
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it("lets the operator turn deletion protection off and bring a customer-managed key", () => {
    const { template } = buildKeys((stack) => ({
      deletionProtection: false,
      encryptionKey: new Key(stack, "Cmk"),
    }));

    template.hasResourceProperties("AWS::DynamoDB::Table", {
      DeletionProtectionEnabled: false,
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: Match.anyValue() },
    });
    template.hasResourceProperties("AWS::SecretsManager::Secret", { KmsKeyId: Match.anyValue() });
  });

  it("generates a 64-character pepper in Secrets Manager, retained with the table", () => {
    const { template } = buildStack();

    template.hasResource("AWS::SecretsManager::Secret", {
      DeletionPolicy: "Retain",
      Properties: {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      },
    });
  });

  it("runs the authorizer on nodejs24.x arm64 with the table and pepper in its environment", () => {
    const { stack, template } = buildStack();
    const keys = stack.brokerKeys as BrokerKeys;

    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Timeout: 10,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: "vault-session-broker-authorizer",
          BROKER_KEYS_TABLE_NAME: stack.resolve(keys.table.tableName),
          BROKER_KEYS_PEPPER_SECRET_ID: stack.resolve(keys.pepper.secretArn),
        },
      },
    });
  });

  it("puts POST /sdk/vault/sessions behind a REQUEST authorizer: simple responses, Authorization header, 60 s cache", () => {
    const { template } = buildStack();

    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "REQUEST",
      AuthorizerPayloadFormatVersion: "2.0",
      EnableSimpleResponses: true,
      IdentitySource: ["$request.header.Authorization"],
      AuthorizerResultTtlInSeconds: 60,
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "POST /sdk/vault/sessions",
      AuthorizationType: "CUSTOM",
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "POST /vault/sessions",
      AuthorizationType: "AWS_IAM",
    });
  });

  it("gives the authorizer GetItem, UpdateItem of last_used_at only, and the pepper; nothing else on the table", () => {
    const { stack, template } = buildStack();
    const keys = stack.brokerKeys as BrokerKeys;
    const tableArn = stack.resolve(keys.table.tableArn);

    const onTable = policyStatements(template).filter(
      (s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn),
    );

    expect(onTable).toEqual([
      { Action: "dynamodb:GetItem", Effect: "Allow", Resource: tableArn },
      {
        Action: "dynamodb:UpdateItem",
        Effect: "Allow",
        Resource: tableArn,
        Condition: {
          "ForAllValues:StringEquals": { "dynamodb:Attributes": ["id", "last_used_at"] },
          StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
        },
      },
    ]);
    expect(policyStatements(template)).toContainEqual({
      Action: "secretsmanager:GetSecretValue",
      Effect: "Allow",
      Resource: stack.resolve(keys.pepper.secretArn),
    });
    const anyWrite = JSON.stringify(policyStatements(template));
    expect(anyWrite).not.toMatch(/dynamodb:(PutItem|DeleteItem|Scan|BatchWriteItem|\*)/);
  });

  it("grants the operator tool what it needs, and no DeleteItem", () => {
    const { stack, keys, template } = buildKeys({}, (built, scope) => {
      built.grantManageKeys(new Role(scope, "Operator", { assumedBy: new AccountRootPrincipal() }));
    });

    const statements = policyStatements(template);
    expect(statements).toContainEqual({
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Scan"],
      Effect: "Allow",
      Resource: stack.resolve(keys.table.tableArn),
    });
    expect(JSON.stringify(statements)).not.toContain("dynamodb:DeleteItem");
  });

  it("counts denials from the authorizer's log lines and alarms on them and on authorizer errors", () => {
    const { template } = buildStack();

    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      FilterPattern: '{ ($.message = "broker key authorization") && ($.outcome = "denied") }',
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: "VaultSessionBroker",
          MetricName: "BrokerKeyDenials",
          MetricValue: "1",
        }),
      ],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "BrokerKeyDenials",
      Threshold: 25,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Threshold: 1,
      Namespace: "AWS/Lambda",
      Dimensions: [{ Name: "FunctionName", Value: Match.anyValue() }],
    });
  });

  it("outputs the SDK server URL, the table name, the pepper ARN and the authorizer's log group", () => {
    const { template } = buildStack();

    for (const name of [
      "SdkServerUrl",
      "BrokerKeysTableName",
      "BrokerKeyPepperSecretArn",
      "AuthorizerLogGroup",
    ])
      template.hasOutput(name, Match.anyValue());
  });

  it("lets API Gateway invoke the function for the key route from the $default stage and POST only", () => {
    const { template } = buildStack();

    const sourceArns = Object.values(template.findResources("AWS::Lambda::Permission")).map((permission) =>
      JSON.stringify((permission as { Properties: { SourceArn: unknown } }).Properties.SourceArn),
    );
    const keyRoute = sourceArns.filter((arn) => arn.includes("/sdk/vault/sessions"));
    expect(keyRoute).toHaveLength(1);
    expect(keyRoute[0]).toContain("/$default/POST/sdk/vault/sessions");
  });

  it("encrypts the authorizer's log group with the logs key when there is one", () => {
    const { template } = buildStack({
      logsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555",
    });

    const groups = Object.values(template.findResources("AWS::Logs::LogGroup")).map(
      (group) => (group as { Properties: { KmsKeyId?: unknown } }).Properties.KmsKeyId,
    );
    expect(groups.length).toBeGreaterThanOrEqual(3);
    expect(groups.every((kmsKeyId) => kmsKeyId !== undefined)).toBe(true);
  });

  it("shows authorizer denials, errors and the broker-key alarms on the dashboard", () => {
    const { template } = buildStack();

    const [dashboard] = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
    const body = JSON.stringify(
      (dashboard as { Properties: { DashboardBody: unknown } }).Properties.DashboardBody,
    );
    expect(body).toContain("Broker keys: authorizer denials");
    expect(body).toContain("BrokerKeyDenials");
    expect(body).toContain("Broker-key alarms");
  });

  it("passes cdk-nag's AwsSolutions checks", async () => {
    const { stack } = buildStack();

    expect(await nagFindings(stack)).toEqual([]);
  });
});
