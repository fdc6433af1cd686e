import { Duration, Validations } from "aws-cdk-lib";
import { type Grant, type IGrantable, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { BrokerAlarms } from "./broker-alarms.ts";
import { createApiKeySecret, grantSecretValue, secretIdOf } from "./broker-secret.ts";
import { DEPS_LOCK_FILE, HANDLER_BUNDLING, HANDLER_ENTRY } from "./bundling-options.ts";
import { BrokerHttpApi, IAM_ROUTE_PATH, JWT_ROUTE_PATH } from "./http-api-routes.ts";
import { sessionPolicyEnvironment } from "./session-policy-environment.ts";
import type { VaultSessionBrokerProps } from "./vault-session-broker-props.ts";

// Below API Gateway's 30 s integration limit, so the API never answers 503 while the function still
// runs. The handler never spends more than the remaining time less 300 ms (lambda/deadline.ts):
// up to 3 attempts of at most 5 s each, the last one cut short by that deadline.
const FUNCTION_TIMEOUT = Duration.seconds(15);

// From `npm run bench` (test/bench/results/latest.json, Node 24, Lambda's heap flags): peak RSS is
// 72 MB over a cold start and 136 MB over 10,000 warm requests at 256 MB (121 MB with 128 MB flags,
// too close to the limit). 256 MB leaves headroom, and Lambda's CPU share grows with memory.
const DEFAULT_MEMORY_MB = 256;

/**
 * Apideck Vault session broker: a Lambda function reading the API key from Secrets Manager, behind an
 * HTTP API whose routes all require IAM or JWT authorization, with logs, alarms and least privilege.
 */
export class VaultSessionBroker extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  public readonly secret: ISecret;
  public readonly http: BrokerHttpApi;
  public readonly alarms: BrokerAlarms;
  public readonly alarmTopic?: ITopic;
  /** URL of `POST /vault/sessions` (SigV4). */
  public readonly vaultSessionsUrl: string;
  /** URL of `POST /sessions` (JWT); undefined unless JWT is configured. */
  public readonly sessionsUrl?: string;

  constructor(scope: Construct, id: string, props: VaultSessionBrokerProps) {
    super(scope, id);
    const upstreamTimeout = props.upstreamTimeout ?? Duration.seconds(5);
    if (upstreamTimeout.toMilliseconds() >= FUNCTION_TIMEOUT.toMilliseconds()) {
      throw new Error(`upstreamTimeout must be below the ${FUNCTION_TIMEOUT.toSeconds()} s function timeout`);
    }
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.secret = props.secret ?? createApiKeySecret(this, "ApiKeySecret", props.encryptionKey);
    // Exactly what lambda/config.ts reads; caller variables may add to these but not replace them.
    const configVariables: Record<string, string> = {
      APIDECK_APP_ID: props.appId,
      APIDECK_SECRET_ID: secretIdOf(this.secret),
      APIDECK_BASE_URL: props.apideckBaseUrl ?? "https://unify.apideck.com",
      SECRET_CACHE_TTL_SECONDS: String((props.secretCacheTtl ?? Duration.minutes(5)).toSeconds()),
      UPSTREAM_TIMEOUT_MS: String(upstreamTimeout.toMilliseconds()),
      CONSUMER_ID_CLAIM: props.consumerIdClaim ?? "sub",
      ...sessionPolicyEnvironment(props.sessionPolicy),
    };
    const overridden = Object.keys(props.environment ?? {}).filter((name) => name in configVariables);
    if (overridden.length) throw new Error(`environment may not set ${overridden.join(", ")}; use the props`);

    this.logGroup = new LogGroup(this, "FunctionLogs", { retention: logRetention });
    // Our own role instead of AWSLambdaBasicExecutionRole: it may write to this log group only.
    const role = new Role(this, "FunctionRole", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
    this.logGroup.grantWrite(role);
    grantSecretValue(role, this.secret, props.encryptionKey);

    this.function = new NodejsFunction(this, "Function", {
      description: "Creates Apideck Vault sessions",
      ...(props.functionCode
        ? { code: props.functionCode, handler: "index.handler" }
        : {
            entry: HANDLER_ENTRY,
            depsLockFilePath: DEPS_LOCK_FILE,
            handler: "handler",
            bundling: HANDLER_BUNDLING,
          }),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: FUNCTION_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: props.tracing ? Tracing.ACTIVE : undefined,
      environment: {
        POWERTOOLS_SERVICE_NAME: "vault-session-broker",
        POWERTOOLS_LOG_LEVEL: "INFO",
        ...props.environment,
        ...configVariables,
      },
    });
    if (props.tracing) {
      Validations.of(role).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason: "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.",
      });
    }

    this.http = new BrokerHttpApi(this, "Http", {
      handler: this.function,
      throttle: { rateLimit: props.throttle?.rateLimit ?? 50, burstLimit: props.throttle?.burstLimit ?? 100 },
      logRetention,
      corsOrigins: props.corsOrigins ?? [],
      jwt: props.jwt,
    });
    this.vaultSessionsUrl = this.http.urlOf(IAM_ROUTE_PATH);
    this.sessionsUrl = props.jwt ? this.http.urlOf(JWT_ROUTE_PATH) : undefined;

    this.alarms = new BrokerAlarms(this, "Alarms", {
      handler: this.function,
      logGroup: this.logGroup,
      stage: this.http.stage,
      timeout: FUNCTION_TIMEOUT,
      topic: props.alarmTopic,
      email: props.alarmEmail,
    });
    this.alarmTopic = this.alarms.topic;
  }

  /** Lets `grantee` call `POST /vault/sessions` on the `$default` stage with SigV4, and nothing else. */
  grantInvokeVaultSessions(grantee: IGrantable): Grant {
    return this.http.grantInvokeIamRoute(grantee);
  }

  /** Lets `grantee` invoke the function directly (`lambda:InvokeFunction`), bypassing the API. */
  grantInvoke(grantee: IGrantable): Grant {
    return this.function.grantInvoke(grantee);
  }
}
