import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { APP_ID_PLACEHOLDER, parseDeployContext } from "../../infra/deploy-context.ts";
import { VaultSessionBrokerStack } from "../../infra/vault-session-broker-stack.ts";
import { INLINE_CODE, nagFindings, testApp } from "./broker-fixture.ts";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vault/apideck-key-AbC123";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A fresh app and stack from context values, as `-c key=value` would pass them (strings). */
function buildStack(context: Record<string, string> = {}) {
  const values: Record<string, string> = { appId: "test-app-id", ...context };
  const stack = new VaultSessionBrokerStack(testApp(), "VaultSessionBroker", {
    deploy: parseDeployContext(values),
    functionCode: INLINE_CODE,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe("Stack: VaultSessionBrokerStack", () => {
  it("passes the session policy from context (-c strings) to the function", () => {
    const { template } = buildStack({
      sessionDefaults: '{"theme":{"vault_name":"Acme"}}',
      redirectAllowlist: "https://app.example.com, https://admin.example.com/done",
      lockedFields: "theme,settings.sandbox_mode",
      allowedUnifiedApis: "crm",
      maxSessionLength: "30m",
      consumerIdScope: "tenant-a:*",
    });

    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          SESSION_DEFAULTS: '{"theme":{"vault_name":"Acme"}}',
          REDIRECT_ALLOWLIST: "https://app.example.com,https://admin.example.com/done",
          LOCKED_FIELDS: "theme,settings.sandbox_mode",
          ALLOWED_UNIFIED_APIS: "crm",
          MAX_SESSION_LENGTH: "30m",
          CONSUMER_ID_SCOPE: "tenant-a:*",
        }),
      },
    });
  });

  it("rejects sessionDefaults that are not JSON, naming the context key", () => {
    expect(() => buildStack({ sessionDefaults: "not json" })).toThrow(/sessionDefaults: must be JSON/);
  });

  it("outputs the endpoint, the IAM route URL, the secret ARN and the function name and ARN", () => {
    const { stack, template } = buildStack();
    const { broker } = stack;

    template.hasOutput("ApiEndpoint", { Value: stack.resolve(broker.http.api.apiEndpoint) });
    template.hasOutput("VaultSessionsUrl", { Value: stack.resolve(broker.vaultSessionsUrl) });
    template.hasOutput("SecretArn", { Value: stack.resolve(broker.secret.secretArn) });
    template.hasOutput("FunctionName", { Value: stack.resolve(broker.function.functionName) });
    template.hasOutput("FunctionArn", { Value: stack.resolve(broker.function.functionArn) });
    template.hasOutput("FunctionLogGroup", { Value: stack.resolve(broker.logGroup.logGroupName) });
    template.hasOutput("AccessLogGroup", { Value: stack.resolve(broker.http.accessLogGroup.logGroupName) });
    expect(template.findOutputs("SessionsUrl")).toEqual({});
  });

  it("outputs the JWT route URL and passes the claim when jwtIssuer and jwtAudience are set", () => {
    const { stack, template } = buildStack({
      jwtIssuer: "https://issuer.example.com/",
      jwtAudience: "vault-api,admin-api",
      jwtScopes: "vault:sessions",
      consumerIdClaim: "org_id",
    });

    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "POST /sessions",
      AuthorizationScopes: ["vault:sessions"],
    });

    template.hasOutput("SessionsUrl", { Value: stack.resolve(stack.broker.sessionsUrl) });
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      JwtConfiguration: { Issuer: "https://issuer.example.com/", Audience: ["vault-api", "admin-api"] },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ CONSUMER_ID_CLAIM: "org_id" }) },
    });
  });

  it("maps the context onto the function, stage and log groups", () => {
    const { template } = buildStack({
      apideckBaseUrl: "https://mock.example.com",
      throttleRateLimit: "20",
      throttleBurstLimit: "40",
      logRetentionDays: "90",
      reservedConcurrency: "3",
      tracing: "true",
      corsOrigins: "https://app.example.com",
      logLevel: "debug",
      systemLogLevel: "INFO",
    });

    template.hasResourceProperties("AWS::Lambda::Function", {
      ReservedConcurrentExecutions: 3,
      TracingConfig: { Mode: "Active" },
      LoggingConfig: Match.objectLike({
        LogFormat: "JSON",
        ApplicationLogLevel: "DEBUG",
        SystemLogLevel: "INFO",
      }),
      Environment: {
        Variables: Match.objectLike({
          APIDECK_APP_ID: "test-app-id",
          APIDECK_BASE_URL: "https://mock.example.com",
        }),
      },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 90 });
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["https://app.example.com"] }),
    });
  });

  it("outputs the dashboard's URL, and has no dashboard with -c dashboard=false", () => {
    const { stack, template } = buildStack();

    template.hasOutput("DashboardUrl", { Value: stack.resolve(stack.broker.dashboard?.url) });

    const off = buildStack({ dashboard: "false" });
    expect(off.template.findOutputs("DashboardUrl")).toEqual({});
    off.template.resourceCountIs("AWS::CloudWatch::Dashboard", 0);
  });

  it("imports the secret named by secretName instead of creating one", () => {
    const { template } = buildStack({ secretName: "vault/apideck-key" });

    template.resourceCountIs("AWS::SecretsManager::Secret", 0);
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ APIDECK_SECRET_ID: "vault/apideck-key" }) },
    });
  });

  it("imports the secret given by secretArn and decrypts it with the kmsKeyArn key", () => {
    const { template } = buildStack({ secretArn: SECRET_ARN, kmsKeyArn: KEY_ARN });

    template.resourceCountIs("AWS::SecretsManager::Secret", 0);
    template.hasOutput("SecretArn", { Value: SECRET_ARN });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: "secretsmanager:GetSecretValue", Effect: "Allow", Resource: SECRET_ARN },
          Match.objectLike({ Action: "kms:Decrypt", Resource: KEY_ARN }),
        ]),
      },
    });
  });

  it("encrypts the logs and the alarm topic with logsKmsKeyArn and outputs the statements its policy needs", () => {
    const logsKey = "arn:aws:kms:eu-west-1:123456789012:key/99999999-12ab-34cd-56ef-1234567890ab";
    const { stack, template } = buildStack({ logsKmsKeyArn: logsKey, alarmEmail: "ops@example.com" });

    template.allResourcesProperties("AWS::Logs::LogGroup", { KmsKeyId: logsKey });
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: logsKey });
    template.hasOutput("LogsKmsKeyPolicy", { Value: stack.resolve(stack.broker.logsKeyPolicyStatements) });
    expect(template.findOutputs("LogsKmsKeyPolicy")).not.toEqual({});
  });

  it("imports a key once when the secret and the logs share it", () => {
    const { template } = buildStack({ kmsKeyArn: KEY_ARN, logsKmsKeyArn: KEY_ARN });

    template.allResourcesProperties("AWS::Logs::LogGroup", { KmsKeyId: KEY_ARN });
    template.hasResourceProperties("AWS::SecretsManager::Secret", { KmsKeyId: KEY_ARN });
  });

  it("has no LogsKmsKeyPolicy output without logsKmsKeyArn", () => {
    expect(buildStack().template.findOutputs("LogsKmsKeyPolicy")).toEqual({});
  });

  it("creates the alarm topic when alarmEmail is set", () => {
    const { template } = buildStack({ alarmEmail: "ops@example.com" });

    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
    });
  });

  it("warns while appId is the cdk.json placeholder", () => {
    const { stack } = buildStack({ appId: APP_ID_PLACEHOLDER });

    Annotations.fromStack(stack).hasWarning("*", Match.stringLikeRegexp("appId is still the placeholder"));
  });

  it("does not warn once appId is set", () => {
    const { stack } = buildStack();

    expect(Annotations.fromStack(stack).findWarning("*", Match.anyValue())).toEqual([]);
  });

  it("passes cdk-nag AwsSolutions checks with every option on, and has no error annotations", async () => {
    const { stack } = buildStack({
      secretName: "vault/apideck-key",
      kmsKeyArn: KEY_ARN,
      jwtIssuer: "https://issuer.example.com/",
      jwtAudience: "vault-api",
      corsOrigins: "https://app.example.com",
      alarmEmail: "ops@example.com",
      reservedConcurrency: "5",
      tracing: "true",
      jwtScopes: "vault:sessions",
      logsKmsKeyArn: KEY_ARN,
    });

    expect(await nagFindings(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findError("*", Match.anyValue())).toEqual([]);
  });
});
