import { Annotations, Duration, Stack } from "aws-cdk-lib";
import type { ThrottleSettings } from "aws-cdk-lib/aws-apigatewayv2";
import type { Grant, IGrantable, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { ApplicationLogLevel, type Code, SystemLogLevel } from "aws-cdk-lib/aws-lambda";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { type LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { UnifiedApiId } from "../lambda/session/policy.ts";
import type { Session } from "../lambda/session/schema.ts";
import { BrokerAlarms } from "./broker-alarms.ts";
import { BrokerDashboard } from "./broker-dashboard.ts";
import { createBrokerFunction } from "./broker-function.ts";
import { BrokerLogMetrics } from "./broker-log-metrics.ts";
import { brokerPropsProblems, policySettings } from "./broker-props-check.ts";
import { createApiKeySecret, grantSecretValue, secretIdOf } from "./broker-secret.ts";
import { InvalidBrokerPropsError } from "./configuration-error.ts";
import {
  BrokerHttpApi,
  IAM_ROUTE_PATH,
  JWT_ROUTE_PATH,
  type JwtAuthorizerOptions,
} from "./http-api-routes.ts";
import { addLogsKeyPolicy, logsKeyPolicyStatements } from "./logs-encryption.ts";
import { policyEnvironment } from "./session-policy-environment.ts";

/** The operator's session policy (README "Session policy"); each becomes one of the function's policy variables. */
export interface SessionPolicyProps {
  /** Merged under every request (typically `theme` and `settings`); checked like a request. @default {} */
  readonly defaults?: Session;
  /** Origins or exact URLs `redirect_uri` must match. @default - any https URL */
  readonly redirectAllowlist?: readonly string[];
  /** `Session` fields callers may not set, e.g. `theme`, `settings.sandbox_mode`. @default - none */
  readonly lockedFields?: readonly string[];
  /** Unified APIs sessions may show (at least one). @default - all */
  readonly allowedUnifiedApis?: readonly UnifiedApiId[];
  /** Longest `session_length` a caller may ask for; whole seconds, at most 7 days. @default Duration.hours(1) */
  readonly maxSessionLength?: Duration;
  /**
   * Globs every consumer id must match, on every route: `*` matches any run of characters, the rest
   * is literal (`tenant-a:*`). @default - any valid consumer id
   */
  readonly consumerIdScope?: readonly string[];
}

/** Properties of `VaultSessionBroker`. */
export interface VaultSessionBrokerProps {
  /** Apideck application id, sent as `x-apideck-app-id`. */
  readonly appId: string;
  /** Holds the Apideck API key, plain or as JSON `{"apiKey": "..."}`. @default - a new secret holding a placeholder */
  readonly secret?: ISecret;
  /** Customer-managed key of the secret; the function may decrypt with it through Secrets Manager only. @default - the AWS managed key */
  readonly encryptionKey?: IKey;
  /**
   * Apideck API base URL; https, since the API key travels in its Authorization header (plain http
   * is accepted for a loopback host only, which tests use for a local simulator).
   * @default "https://unify.apideck.com"
   */
  readonly apideckBaseUrl?: string;
  /** How long an instance caches the API key; whole seconds, at most 1 day. @default Duration.minutes(5) */
  readonly secretCacheTtl?: Duration;
  /** Timeout of one Apideck attempt; at least 100 ms, below the 15 s function timeout. @default Duration.seconds(5) */
  readonly upstreamTimeout?: Duration;
  /** JWT claim holding the Apideck consumer id on `POST /sessions`. @default "sub" */
  readonly consumerIdClaim?: string;
  /** Adds `POST /sessions` behind a JWT authorizer. @default - only the IAM route */
  readonly jwt?: JwtAuthorizerOptions;
  /** The operator's session policy: defaults, redirect allow-list, locks, limits. @default - the function's defaults */
  readonly sessionPolicy?: SessionPolicyProps;
  /** Browser origins allowed by CORS. @default - no CORS */
  readonly corsOrigins?: readonly string[];
  /** Stage throttling. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: ThrottleSettings;
  /**
   * Lowest level of the function's own lines that reaches CloudWatch; Lambda filters the rest and
   * passes the level to the function as `AWS_LAMBDA_LOG_LEVEL`. At WARN, successful requests
   * (logged at INFO) are not logged, and the dashboard's per-route counts miss them.
   * @default ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: ApplicationLogLevel;
  /** Lowest level of Lambda's platform lines (`platform.report` and the like are INFO). @default SystemLogLevel.WARN */
  readonly systemLogLevel?: SystemLogLevel;
  /** Retention of every log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Customer-managed KMS key (symmetric) that encrypts both log groups and the alarm topic this
   * construct creates. A key of this app gets the statements CloudWatch Logs and CloudWatch alarms
   * need in its policy; an imported key (`Key.fromKeyArn`) cannot be changed, so its policy must
   * already hold `logsKeyPolicyStatements` (the stack outputs them, and synth warns).
   * @default - CloudWatch Logs' own encryption; an unencrypted topic
   */
  readonly logsEncryptionKey?: IKey;
  /** @default - no reserved concurrency */
  readonly reservedConcurrency?: number;
  /** X-Ray active tracing on the function. @default false */
  readonly tracing?: boolean;
  /** Memory in MB. @default 256 (from `npm run bench`: peak RSS 72 MB cold, 136 MB warm; README "Performance") */
  readonly memorySize?: number;
  /** Extra variables, merged with the construct's own (which they may not set). @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Subscribed by e-mail to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
  /** Receives alarm and OK notifications. @default - a new topic when `alarmEmail` is set, else none */
  readonly alarmTopic?: ITopic;
  /**
   * A CloudWatch dashboard of requests by route and outcome, errors, Apideck status and latency,
   * secret reads, cold starts, throttles and alarm states, fed by three metric filters on the
   * function's log group. @default true
   */
  readonly dashboard?: boolean;
  /** Used instead of bundling `lambda/handler.ts`; tests pass inline code. @default - the esbuild bundle */
  readonly functionCode?: Code;
}

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
 * Invalid props fail the synth with `InvalidBrokerPropsError`, naming every bad prop.
 */
export class VaultSessionBroker extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;
  public readonly secret: ISecret;
  public readonly http: BrokerHttpApi;
  public readonly alarms: BrokerAlarms;
  public readonly alarmTopic?: ITopic;
  /** URL of `POST /vault/sessions` (SigV4). */
  public readonly vaultSessionsUrl: string;
  /** URL of `POST /sessions` (JWT); undefined unless JWT is configured. */
  public readonly sessionsUrl?: string;
  /** The dashboard; undefined when `dashboard` is false. */
  public readonly dashboard?: BrokerDashboard;
  /**
   * The statements the policy of `logsEncryptionKey` must contain, as JSON; undefined without that
   * key. Already in the policy when the key belongs to this app.
   */
  public readonly logsKeyPolicyStatements?: string;
  /** The key of the log groups and the alarm topic, for constructs added beside (broker keys). */
  public readonly logsEncryptionKey?: IKey;
  // Numbers the permissions of `grantInvokeToService`, whose source ARNs are usually tokens.
  private serviceGrants = 0;

  constructor(scope: Construct, id: string, props: VaultSessionBrokerProps) {
    super(scope, id);
    this.logsEncryptionKey = props.logsEncryptionKey;
    const upstreamTimeout = props.upstreamTimeout ?? Duration.seconds(5);
    const secretCacheTtl = props.secretCacheTtl ?? Duration.minutes(5);
    const problems = brokerPropsProblems({
      ...props,
      upstreamTimeout,
      secretCacheTtl,
      functionTimeout: FUNCTION_TIMEOUT,
      jwtScopes: props.jwt?.scopes,
    });
    if (problems.length > 0) throw new InvalidBrokerPropsError(problems);
    const policy = policySettings(props.sessionPolicy);

    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.secret = props.secret ?? createApiKeySecret(this, "ApiKeySecret", props.encryptionKey);
    // Exactly what lambda/config.ts reads; caller variables may add to these but not replace them.
    const configVariables: Record<string, string> = {
      APIDECK_APP_ID: props.appId,
      APIDECK_SECRET_ID: secretIdOf(this.secret),
      APIDECK_BASE_URL: props.apideckBaseUrl ?? "https://unify.apideck.com",
      SECRET_CACHE_TTL_SECONDS: String(secretCacheTtl.toSeconds()),
      UPSTREAM_TIMEOUT_MS: String(upstreamTimeout.toMilliseconds()),
      CONSUMER_ID_CLAIM: props.consumerIdClaim ?? "sub",
      ...policyEnvironment(policy),
    };
    const parts = createBrokerFunction(this, {
      environment: {
        POWERTOOLS_SERVICE_NAME: "vault-session-broker",
        ...props.environment,
        ...configVariables,
      },
      timeout: FUNCTION_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      logRetention,
      logsEncryptionKey: props.logsEncryptionKey,
      reservedConcurrency: props.reservedConcurrency,
      tracing: props.tracing ?? false,
      applicationLogLevel: props.applicationLogLevel ?? ApplicationLogLevel.INFO,
      systemLogLevel: props.systemLogLevel ?? SystemLogLevel.WARN,
      code: props.functionCode,
    });
    this.function = parts.function;
    this.role = parts.role;
    this.logGroup = parts.logGroup;
    grantSecretValue(this.role, this.secret, props.encryptionKey);

    this.http = new BrokerHttpApi(this, "Http", {
      handler: this.function,
      throttle: { rateLimit: props.throttle?.rateLimit ?? 50, burstLimit: props.throttle?.burstLimit ?? 100 },
      logRetention,
      logsEncryptionKey: props.logsEncryptionKey,
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
      topicEncryptionKey: props.logsEncryptionKey,
    });
    this.alarmTopic = this.alarms.topic;
    if (props.logsEncryptionKey) {
      const statements = logsKeyPolicyStatements({ alarmTopic: !props.alarmTopic && !!props.alarmEmail });
      this.logsKeyPolicyStatements = Stack.of(this).toJsonString(statements.map((s) => s.toStatementJson()));
      if (!addLogsKeyPolicy(props.logsEncryptionKey, statements)) {
        Annotations.of(this).addWarningV2(
          "vault-session-broker:logsKeyPolicy",
          "logsEncryptionKey is imported, so its key policy is not changed here: it must allow CloudWatch " +
            "Logs (and CloudWatch alarms, for the alarm topic) as in the LogsKmsKeyPolicy stack output or " +
            'README "Logs and alarms", or the log groups cannot be created.',
        );
      }
    }

    if (props.dashboard ?? true) {
      const metrics = new BrokerLogMetrics(this, "LogMetrics", {
        logGroup: this.logGroup,
        functionName: this.function.functionName,
      });
      this.dashboard = new BrokerDashboard(this, "Dashboard", {
        handler: this.function,
        logGroup: this.logGroup,
        stage: this.http.stage,
        metrics,
        // As the request line names them (lambda/request-trace.ts `Route`).
        routes: [
          { route: `POST ${IAM_ROUTE_PATH}`, title: `POST ${IAM_ROUTE_PATH} (IAM)` },
          ...(props.jwt ? [{ route: `POST ${JWT_ROUTE_PATH}`, title: `POST ${JWT_ROUTE_PATH} (JWT)` }] : []),
          { route: "invoke", title: "Direct invocation" },
        ],
        alarms: this.alarms.all,
      });
    }
  }

  /** Lets `grantee` call `POST /vault/sessions` on the `$default` stage with SigV4, and nothing else. */
  grantInvokeVaultSessions(grantee: IGrantable): Grant {
    return this.http.grantInvokeIamRoute(grantee);
  }

  /**
   * Lets `grantee`, an IAM identity (a role, a state machine, another function), invoke the function
   * directly (`lambda:InvokeFunction`), bypassing the API. Refuses a service principal: its
   * permission would name no source, and a direct invoker chooses any consumer; use
   * `grantInvokeToService` instead.
   */
  grantInvoke(grantee: IGrantable): Grant {
    if (Object.hasOwn(grantee.grantPrincipal.policyFragment.principalJson, "Service")) {
      throw new Error(
        "grantInvoke does not take a service principal (any resource of that service could invoke " +
          "the function); use grantInvokeToService(principal, sourceArn)",
      );
    }
    return this.function.grantInvoke(grantee);
  }

  /**
   * Lets an AWS service invoke the function directly on behalf of one resource only: `sourceArn`
   * (an EventBridge rule, an SNS topic, ...) and `SourceAccount` (this stack's account unless
   * `sourceAccount` says otherwise), so that no other resource of that service, in this account or
   * another, can use the permission (a confused deputy).
   */
  grantInvokeToService(principal: ServicePrincipal, sourceArn: string, sourceAccount?: string): void {
    this.serviceGrants += 1;
    this.function.addPermission(`InvokeByService${this.serviceGrants}`, {
      principal,
      sourceArn,
      sourceAccount: sourceAccount ?? Stack.of(this).account,
    });
  }
}
