import { Annotations, CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { type IKey, Key } from "aws-cdk-lib/aws-kms";
import { ApplicationLogLevel, type Code, SystemLogLevel } from "aws-cdk-lib/aws-lambda";
import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { addBrokerKeyOutputs } from "./broker-key-outputs.ts";
import { BrokerKeys } from "./broker-keys.ts";
import { APP_ID_PLACEHOLDER, type DeployContext } from "./deploy-context.ts";
import { VaultSessionBroker } from "./vault-session-broker.ts";

/** Properties of `VaultSessionBrokerStack`. */
export interface VaultSessionBrokerStackProps extends StackProps {
  /** The parsed CDK context (see `parseDeployContext`). */
  readonly deploy: DeployContext;
  /** Passed to the construct instead of bundling; tests use it to stay fast. @default - esbuild bundle */
  readonly functionCode?: Code;
  /** Used instead of bundling the broker-key authorizer; tests use it. @default - esbuild bundle */
  readonly authorizerCode?: Code;
}

/**
 * The deployable unit: maps the deploy context onto one `VaultSessionBroker` (importing the secret and
 * key when given) and outputs what callers and operators need.
 */
export class VaultSessionBrokerStack extends Stack {
  public readonly broker: VaultSessionBroker;
  /** `POST /sdk/vault/sessions` and its key store; only with the `brokerKeys` context key. */
  public readonly brokerKeys?: BrokerKeys;

  constructor(scope: Construct, id: string, props: VaultSessionBrokerStackProps) {
    super(scope, id, props);
    const { deploy } = props;
    if (deploy.appId === APP_ID_PLACEHOLDER) {
      Annotations.of(this).addWarningV2(
        "vault-session-broker:appIdPlaceholder",
        `appId is still the placeholder ${APP_ID_PLACEHOLDER}; deploy with -c appId=<your Apideck app id>.`,
      );
    }

    const secretKey = deploy.kmsKeyArn ? Key.fromKeyArn(this, "SecretKey", deploy.kmsKeyArn) : undefined;
    this.broker = new VaultSessionBroker(this, "Broker", {
      appId: deploy.appId,
      secret: this.importSecret(deploy),
      encryptionKey: secretKey,
      logsEncryptionKey: this.importLogsKey(deploy, secretKey),
      apideckBaseUrl: deploy.apideckBaseUrl,
      consumerIdClaim: deploy.consumerIdClaim,
      jwt:
        deploy.jwtIssuer && deploy.jwtAudience
          ? { issuer: deploy.jwtIssuer, audience: deploy.jwtAudience, scopes: deploy.jwtScopes }
          : undefined,
      corsOrigins: deploy.corsOrigins,
      throttle: { rateLimit: deploy.throttleRateLimit, burstLimit: deploy.throttleBurstLimit },
      logRetention: deploy.logRetentionDays,
      reservedConcurrency: deploy.reservedConcurrency,
      tracing: deploy.tracing,
      applicationLogLevel: ApplicationLogLevel[deploy.logLevel],
      systemLogLevel: SystemLogLevel[deploy.systemLogLevel],
      alarmEmail: deploy.alarmEmail,
      dashboard: deploy.dashboard,
      functionCode: props.functionCode,
      sessionPolicy: {
        defaults: deploy.sessionDefaults,
        redirectAllowlist: deploy.redirectAllowlist,
        lockedFields: deploy.lockedFields,
        allowedUnifiedApis: deploy.allowedUnifiedApis,
        maxSessionLength: deploy.maxSessionLength,
        consumerIdScope: deploy.consumerIdScope,
      },
    });

    const { broker } = this;
    new CfnOutput(this, "ApiEndpoint", {
      value: broker.http.api.apiEndpoint,
      description: "HTTP API endpoint",
    });
    new CfnOutput(this, "VaultSessionsUrl", {
      value: broker.vaultSessionsUrl,
      description: "POST here with SigV4 (IAM) credentials",
    });
    if (broker.sessionsUrl) {
      new CfnOutput(this, "SessionsUrl", {
        value: broker.sessionsUrl,
        description: "POST here with a JWT bearer token",
      });
    }
    new CfnOutput(this, "SecretArn", {
      value: broker.secret.secretArn,
      description: "Put the Apideck API key here: aws secretsmanager put-secret-value --secret-id <this>",
    });
    new CfnOutput(this, "FunctionName", { value: broker.function.functionName });
    new CfnOutput(this, "FunctionLogGroup", {
      value: broker.logGroup.logGroupName,
      description: "One JSON line per request: aws logs tail <this> --follow",
    });
    new CfnOutput(this, "AccessLogGroup", {
      value: broker.http.accessLogGroup.logGroupName,
      description: "API Gateway access log",
    });
    new CfnOutput(this, "FunctionArn", { value: broker.function.functionArn });
    if (broker.logsKeyPolicyStatements) {
      new CfnOutput(this, "LogsKmsKeyPolicy", {
        value: broker.logsKeyPolicyStatements,
        description:
          "Statements the policy of the logsKmsKeyArn key must contain (add them before deploying)",
      });
    }
    if (broker.dashboard) {
      new CfnOutput(this, "DashboardUrl", {
        value: broker.dashboard.url,
        description: "The broker's CloudWatch dashboard",
      });
    }

    if (deploy.brokerKeys) {
      this.brokerKeys = new BrokerKeys(this, "BrokerKeys", {
        httpApi: broker.http.api,
        handler: broker.function,
        // The same $default/POST-scoped permission as the other routes.
        integration: broker.http.integration,
        logRetention: deploy.logRetentionDays,
        logsEncryptionKey: broker.logsEncryptionKey,
        alarmTopic: broker.alarmTopic,
        authorizerCode: props.authorizerCode,
      });
      addBrokerKeyOutputs(this, this.brokerKeys, broker.http.api.apiEndpoint);
      broker.dashboard?.addBrokerKeyWidgets(this.brokerKeys);
    }
  }

  // One import when the secret and the logs share a key.
  private importLogsKey(deploy: DeployContext, secretKey: IKey | undefined): IKey | undefined {
    if (!deploy.logsKmsKeyArn) return undefined;
    if (secretKey && deploy.logsKmsKeyArn === deploy.kmsKeyArn) return secretKey;
    return Key.fromKeyArn(this, "LogsKey", deploy.logsKmsKeyArn);
  }

  private importSecret(deploy: DeployContext): ISecret | undefined {
    if (deploy.secretArn) return Secret.fromSecretCompleteArn(this, "ApiKeySecret", deploy.secretArn);
    if (deploy.secretName) return Secret.fromSecretNameV2(this, "ApiKeySecret", deploy.secretName);
    return undefined;
  }
}
