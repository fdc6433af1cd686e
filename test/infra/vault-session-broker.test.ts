import { type CfnResource, Duration, type Stack } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { ApplicationLogLevel, SystemLogLevel } from "aws-cdk-lib/aws-lambda";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { describe, expect, it } from "vitest";
import { InvalidBrokerPropsError } from "../../infra/configuration-error.ts";
import { buildBroker, cfnString, nagFindings, policyStatements } from "./broker-fixture.ts";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vault/apideck-key-AbC123";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const secretStatements = (statements: Array<Record<string, unknown>>) =>
  statements.filter((s) => String(s.Action).startsWith("secretsmanager:"));

describe("Construct: VaultSessionBroker", () => {
  describe("function", () => {
    it("runs on nodejs24.x, arm64, with a 15 s timeout and 256 MB", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::Lambda::Function", {
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        Timeout: 15,
        MemorySize: 256,
        Handler: "index.handler",
      });
    });

    it("sets exactly the environment the handler's config reads, with their defaults", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: {
          Variables: Match.objectEquals({
            APIDECK_APP_ID: "test-app-id",
            APIDECK_SECRET_ID: stack.resolve(broker.secret.secretArn),
            APIDECK_BASE_URL: "https://unify.apideck.com",
            SECRET_CACHE_TTL_SECONDS: "300",
            UPSTREAM_TIMEOUT_MS: "5000",
            CONSUMER_ID_CLAIM: "sub",
            POWERTOOLS_SERVICE_NAME: "vault-session-broker",
          }),
        },
      });
    });

    it("passes the configured values into the environment", () => {
      const { template } = buildBroker({
        apideckBaseUrl: "https://mock.example.com",
        secretCacheTtl: Duration.minutes(1),
        upstreamTimeout: Duration.seconds(3),
        consumerIdClaim: "org_id",
      });

      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: {
          Variables: Match.objectLike({
            APIDECK_BASE_URL: "https://mock.example.com",
            SECRET_CACHE_TTL_SECONDS: "60",
            UPSTREAM_TIMEOUT_MS: "3000",
            CONSUMER_ID_CLAIM: "org_id",
          }),
        },
      });
    });

    it("keeps caller-provided variables and lets them override the service name", () => {
      const { template } = buildBroker({
        environment: { FEATURE_X: "on", POWERTOOLS_SERVICE_NAME: "vault-eu" },
      });

      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: {
          Variables: Match.objectLike({ FEATURE_X: "on", POWERTOOLS_SERVICE_NAME: "vault-eu" }),
        },
      });
    });

    it("logs JSON through Lambda's logging controls: application INFO, system WARN by default", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::Lambda::Function", {
        LoggingConfig: {
          LogFormat: "JSON",
          ApplicationLogLevel: "INFO",
          SystemLogLevel: "WARN",
          LogGroup: stack.resolve(broker.logGroup.logGroupName),
        },
      });
    });

    it("sets the configured log levels and no log-level variable", () => {
      const { template } = buildBroker({
        applicationLogLevel: ApplicationLogLevel.WARN,
        systemLogLevel: SystemLogLevel.INFO,
      });

      template.hasResourceProperties("AWS::Lambda::Function", {
        LoggingConfig: Match.objectLike({ ApplicationLogLevel: "WARN", SystemLogLevel: "INFO" }),
        Environment: {
          Variables: Match.not(Match.objectLike({ POWERTOOLS_LOG_LEVEL: Match.anyValue() })),
        },
      });
    });

    it("rejects log-level variables, which Lambda's level would override", () => {
      expect(() => buildBroker({ environment: { POWERTOOLS_LOG_LEVEL: "DEBUG" } })).toThrow(
        "environment: may not set POWERTOOLS_LOG_LEVEL; use applicationLogLevel",
      );
    });

    it.each([
      "http://unify.apideck.com",
      "http://169.254.169.254/latest",
      "ftp://unify.apideck.com",
      "https://user:secret@unify.apideck.com",
      "unify.apideck.com",
    ])("refuses apideckBaseUrl %s, which would expose the API key or is no URL", (apideckBaseUrl) => {
      expect(() => buildBroker({ apideckBaseUrl })).toThrow(
        /apideckBaseUrl: must be an https URL without credentials/,
      );
    });

    it.each(["https://unify.apideck.com", "http://127.0.0.1:4010", "http://localhost:8080"])(
      "accepts apideckBaseUrl %s (loopback http for tests)",
      (apideckBaseUrl) => {
        const { template } = buildBroker({ apideckBaseUrl });

        template.hasResourceProperties("AWS::Lambda::Function", {
          Environment: { Variables: Match.objectLike({ APIDECK_BASE_URL: apideckBaseUrl }) },
        });
      },
    );

    it("rejects caller-provided variables that the typed props own", () => {
      expect(() => buildBroker({ environment: { APIDECK_APP_ID: "other" } })).toThrow(/APIDECK_APP_ID/);
    });

    it("rejects an upstream timeout that does not fit in the function timeout", () => {
      expect(() => buildBroker({ upstreamTimeout: Duration.seconds(15) })).toThrow(/upstreamTimeout/);
    });

    it("names every bad prop at once, by its prop name", () => {
      let problems: readonly string[] = [];
      try {
        buildBroker({
          appId: "has spaces",
          upstreamTimeout: Duration.millis(50),
          secretCacheTtl: Duration.days(2),
          consumerIdClaim: "bad claim",
          environment: { MAX_SESSION_LENGTH: "7d" },
        });
      } catch (error) {
        if (!(error instanceof InvalidBrokerPropsError)) throw error;
        problems = error.problems;
      }

      expect(problems).toEqual([
        "upstreamTimeout: must be at least 100 ms and below the 15 s function timeout",
        "secretCacheTtl: must be a whole number of seconds, at most 1 day",
        "appId: must be 1 to 128 letters, digits, _ or -",
        "consumerIdClaim: must be a claim name (1 to 128 letters, digits or _ : . / -)",
        "environment: may not set MAX_SESSION_LENGTH; the construct sets them from its props",
      ]);
    });

    it("logs to its own log group with one month retention by default", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::Lambda::Function", {
        LoggingConfig: Match.objectLike({ LogGroup: stack.resolve(broker.logGroup.logGroupName) }),
      });
      template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
    });

    it("applies the configured retention to every log group", () => {
      const { template } = buildBroker({ logRetention: RetentionDays.ONE_WEEK });

      template.resourceCountIs("AWS::Logs::LogGroup", 2);
      template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 7 });
    });

    it("has no reserved concurrency and no tracing by default", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::Lambda::Function", {
        ReservedConcurrentExecutions: Match.absent(),
        TracingConfig: Match.absent(),
      });
    });

    it("sets reserved concurrency and X-Ray active tracing when asked", () => {
      const { template } = buildBroker({ reservedConcurrency: 10, tracing: true });

      template.hasResourceProperties("AWS::Lambda::Function", {
        ReservedConcurrentExecutions: 10,
        TracingConfig: { Mode: "Active" },
      });
    });

    it("depends on its role's policy but not on the role it already references (cfn-lint W3005)", () => {
      for (const tracing of [false, true]) {
        const { stack, broker, template } = buildBroker({ tracing });
        const policy = broker.role.node.findChild("DefaultPolicy").node.defaultChild as CfnResource;

        const [fn] = Object.values(template.findResources("AWS::Lambda::Function"));
        expect(fn?.DependsOn).toEqual([stack.resolve(stack.getLogicalId(policy))]);
      }
    });

    it("uses a role without managed policies that may write only to its log group", () => {
      const { stack, broker, template } = buildBroker();

      template.allResourcesProperties("AWS::IAM::Role", { ManagedPolicyArns: Match.absent() });
      expect(policyStatements(template)).toContainEqual({
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Effect: "Allow",
        Resource: stack.resolve(broker.logGroup.logGroupArn),
      });
    });
  });

  describe("secret", () => {
    it("creates a secret holding a placeholder, not a key", () => {
      const { template } = buildBroker();

      template.resourceCountIs("AWS::SecretsManager::Secret", 1);
      template.hasResourceProperties("AWS::SecretsManager::Secret", {
        SecretString: Match.stringLikeRegexp("REPLACE ME"),
      });
    });

    it("allows only GetSecretValue, on the created secret's ARN", () => {
      const { stack, broker, template } = buildBroker();

      expect(secretStatements(policyStatements(template))).toEqual([
        {
          Action: "secretsmanager:GetSecretValue",
          Effect: "Allow",
          Resource: stack.resolve(broker.secret.secretArn),
        },
      ]);
    });

    it("grants no permission on a wildcard resource", () => {
      const { template } = buildBroker();

      for (const statement of policyStatements(template)) {
        expect([statement.Resource].flat()).not.toContain("*");
      }
    });

    it("reads a secret imported by name through its ARN plus the 6-character suffix", () => {
      const { template } = buildBroker((stack) => ({
        secret: Secret.fromSecretNameV2(stack, "Imported", "vault/apideck-key"),
      }));

      template.resourceCountIs("AWS::SecretsManager::Secret", 0);
      const [statement, ...others] = secretStatements(policyStatements(template));
      expect(others).toEqual([]);
      expect(statement?.Action).toBe("secretsmanager:GetSecretValue");
      expect(cfnString(statement?.Resource)).toBe(
        "arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:vault/apideck-key-??????",
      );
      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ APIDECK_SECRET_ID: "vault/apideck-key" }) },
      });
    });

    it("reads a secret imported by complete ARN on exactly that ARN", () => {
      const { template } = buildBroker((stack) => ({
        secret: Secret.fromSecretCompleteArn(stack, "Imported", SECRET_ARN),
      }));

      template.resourceCountIs("AWS::SecretsManager::Secret", 0);
      expect(secretStatements(policyStatements(template))).toEqual([
        { Action: "secretsmanager:GetSecretValue", Effect: "Allow", Resource: SECRET_ARN },
      ]);
      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ APIDECK_SECRET_ID: SECRET_ARN }) },
      });
    });

    it("encrypts the secret with the CMK and allows kms:Decrypt through Secrets Manager only", () => {
      const { template } = buildBroker((stack) => ({ encryptionKey: Key.fromKeyArn(stack, "Key", KEY_ARN) }));

      template.hasResourceProperties("AWS::SecretsManager::Secret", { KmsKeyId: KEY_ARN });
      const kms = policyStatements(template).filter((s) => String(s.Action).startsWith("kms:"));
      expect(kms).toHaveLength(1);
      expect(kms[0]).toMatchObject({ Action: "kms:Decrypt", Effect: "Allow", Resource: KEY_ARN });
      const condition = kms[0]?.Condition as { StringEquals: Record<string, unknown> };
      expect(cfnString(condition.StringEquals["kms:ViaService"])).toBe(
        "secretsmanager.<AWS::Region>.amazonaws.com",
      );
    });

    it("grants no KMS permission without a customer-managed key", () => {
      const { template } = buildBroker();

      expect(policyStatements(template).filter((s) => String(s.Action).startsWith("kms:"))).toEqual([]);
    });
  });

  describe("grants", () => {
    const grantee = (stack: Stack) =>
      new Role(stack, "Caller", { assumedBy: new ServicePrincipal("ec2.amazonaws.com") });

    it("grantInvokeVaultSessions allows execute-api:Invoke on POST /vault/sessions of $default only", () => {
      let callerRole: unknown;
      const { template } = buildBroker({}, ({ stack, broker }) => {
        const role = grantee(stack);
        broker.grantInvokeVaultSessions(role);
        callerRole = stack.resolve(role.roleName);
      });

      const statements = Object.values(
        template.findResources("AWS::IAM::Policy", { Properties: { Roles: [callerRole] } }),
      ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe("execute-api:Invoke");
      expect(cfnString(statements[0].Resource)).toMatch(
        /^arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<\w+>\/\$default\/POST\/vault\/sessions$/,
      );
    });

    it("grantInvokeToService names the source ARN and this account in the function's permission", () => {
      const ruleArn = "arn:aws:events:eu-west-1:123456789012:rule/open-vault";
      const { stack, broker, template } = buildBroker({}, ({ broker }) => {
        broker.grantInvokeToService(new ServicePrincipal("events.amazonaws.com"), ruleArn);
      });

      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        FunctionName: stack.resolve(broker.function.functionArn),
        SourceArn: ruleArn,
        SourceAccount: { Ref: "AWS::AccountId" },
      });
    });

    it("grantInvokeToService takes another source account when given, and grants each source once", () => {
      const { template } = buildBroker({}, ({ broker }) => {
        const events = new ServicePrincipal("events.amazonaws.com");
        broker.grantInvokeToService(events, "arn:aws:events:eu-west-1:210987654321:rule/a", "210987654321");
        broker.grantInvokeToService(events, "arn:aws:events:eu-west-1:123456789012:rule/b");
      });

      const fromEvents = Object.values(template.findResources("AWS::Lambda::Permission")).filter(
        (p) => p.Properties.Principal === "events.amazonaws.com",
      );
      expect(fromEvents.map((p) => [p.Properties.SourceArn, p.Properties.SourceAccount])).toEqual([
        ["arn:aws:events:eu-west-1:210987654321:rule/a", "210987654321"],
        ["arn:aws:events:eu-west-1:123456789012:rule/b", { Ref: "AWS::AccountId" }],
      ]);
    });

    it("grantInvoke refuses a service principal, which would be a confused deputy", () => {
      expect(() =>
        buildBroker({}, ({ broker }) => {
          broker.grantInvoke(new ServicePrincipal("events.amazonaws.com"));
        }),
      ).toThrow(/use grantInvokeToService\(principal, sourceArn\)/);
    });

    it("grantInvoke allows lambda:InvokeFunction on the function", () => {
      let functionArn: unknown;
      const { template } = buildBroker({}, ({ stack, broker }) => {
        broker.grantInvoke(grantee(stack));
        functionArn = stack.resolve(broker.function.functionArn);
      });

      expect(policyStatements(template)).toContainEqual(
        expect.objectContaining({
          Action: "lambda:InvokeFunction",
          Resource: expect.arrayContaining([functionArn]),
        }),
      );
    });
  });

  describe("cdk-nag", () => {
    it("reports no unacknowledged AwsSolutions finding with the defaults", async () => {
      const { stack } = buildBroker();

      expect(await nagFindings(stack)).toEqual([]);
    });

    it("reports no unacknowledged AwsSolutions finding with every option on", async () => {
      const { stack } = buildBroker((stack) => ({
        encryptionKey: Key.fromKeyArn(stack, "Key", KEY_ARN),
        jwt: { issuer: "https://issuer.example.com/", audience: ["vault-api"] },
        corsOrigins: ["https://app.example.com"],
        alarmEmail: "ops@example.com",
        reservedConcurrency: 5,
        tracing: true,
      }));

      expect(await nagFindings(stack)).toEqual([]);
    });

    it("reports no unacknowledged AwsSolutions finding with an imported secret", async () => {
      const { stack } = buildBroker((stack) => ({
        secret: Secret.fromSecretNameV2(stack, "Imported", "vault/apideck-key"),
      }));

      expect(await nagFindings(stack)).toEqual([]);
    });

    it("still catches what is not acknowledged (the checks do run)", async () => {
      const { stack } = buildBroker({}, ({ broker }) => {
        broker.function.addToRolePolicy(new PolicyStatement({ actions: ["s3:GetObject"], resources: ["*"] }));
      });

      expect(await nagFindings(stack)).toEqual([
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] @ /),
      ]);
    });
  });
});
