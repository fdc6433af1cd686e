import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  HttpMethod,
  HttpRoute,
  type HttpRouteIntegration,
  HttpRouteKey,
  type IHttpApi,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { AttributeType, BillingMode, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { type Grant, type IGrantable, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Architecture, type Code, type IFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { KEY_TABLE_PARTITION_KEY } from "../lambda/broker-keys/key-item.ts";
import { BrokerKeyAlarms } from "./broker-key-alarms.ts";
import { grantKeyReads, grantKeyWrites } from "./broker-key-grants.ts";
import { AUTHORIZER_CACHE_TTL_SECONDS, BROKER_KEY_ROUTE_PATH } from "./broker-key-settings.ts";
import { AUTHORIZER_ENTRY, DEPS_LOCK_FILE, HANDLER_BUNDLING } from "./bundling-options.ts";

/** What an operator may choose about broker keys (the construct's `brokerKeys` prop). */
export interface BrokerKeysSettings {
  /** DynamoDB deletion protection on the key table. @default true */
  readonly deletionProtection?: boolean;
  /** How long API Gateway caches an authorizer answer; a revoked key works at most this long. @default 60 s */
  readonly resultsCacheTtl?: Duration;
  /** Customer-managed key of the table and the pepper. @default - AWS managed keys */
  readonly encryptionKey?: IKey;
  /** Used instead of bundling `lambda/authorizer.ts`; tests pass inline code. @default - the esbuild bundle */
  readonly authorizerCode?: Code;
}

/** Properties of `BrokerKeys`. */
export interface BrokerKeysProps extends BrokerKeysSettings {
  /** The API to add `POST /sdk/vault/sessions` to. */
  readonly httpApi: IHttpApi;
  /** The broker function behind the route. */
  readonly handler: IFunction;
  /** The integration of `handler` to reuse. @default - a new HttpLambdaIntegration */
  readonly integration?: HttpRouteIntegration;
  readonly logRetention: RetentionDays;
  /** Customer-managed key of the authorizer's log group (the construct's `logsEncryptionKey`). @default - CloudWatch Logs' own encryption */
  readonly logsEncryptionKey?: IKey;
  /** Receives the broker-key alarms. @default - no actions */
  readonly alarmTopic?: ITopic;
}

/**
 * Broker keys: the key table (on-demand, point-in-time recovery, encrypted, deletion protection),
 * the pepper secret, the authorizer function with its own least-privilege role (read keys, write
 * only `last_used_at`, read the pepper), `POST /sdk/vault/sessions` behind it as an HTTP API Lambda
 * REQUEST authorizer (simple responses, identity source the Authorization header, short cache),
 * and alarms on denials and authorizer errors. Only the operator writes keys: `grantManageKeys`.
 */
export class BrokerKeys extends Construct {
  public readonly table: Table;
  public readonly pepper: Secret;
  public readonly authorizerFunction: NodejsFunction;
  public readonly authorizerLogGroup: LogGroup;
  public readonly authorizer: HttpLambdaAuthorizer;
  public readonly route: HttpRoute;
  public readonly alarms: BrokerKeyAlarms;
  private readonly encryptionKey: IKey | undefined;

  constructor(scope: Construct, id: string, props: BrokerKeysProps) {
    super(scope, id);
    const key = props.encryptionKey;
    this.encryptionKey = key;
    this.table = new Table(this, "Table", {
      partitionKey: { name: KEY_TABLE_PARTITION_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: key ? TableEncryption.CUSTOMER_MANAGED : TableEncryption.AWS_MANAGED,
      encryptionKey: key,
      deletionProtection: props.deletionProtection ?? true,
      // Keys and their revocations are an audit record; the table outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.pepper = new Secret(this, "Pepper", {
      description: "Pepper of the broker-key hashes (HMAC-SHA256 key); every stored key depends on it",
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Without the pepper the retained table's keys can never verify again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pepper).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating the pepper invalidates every broker key at once; keys are rotated instead (npm run keys -- rotate).",
    });

    this.authorizerLogGroup = new LogGroup(this, "AuthorizerLogs", {
      retention: props.logRetention,
      encryptionKey: props.logsEncryptionKey,
    });
    const role = new Role(this, "AuthorizerRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    });
    this.authorizerLogGroup.grantWrite(role);
    grantKeyReads(role, this.table, this.pepper, key);
    this.authorizerFunction = new NodejsFunction(this, "Authorizer", {
      description: "Authorizes broker keys for POST /sdk/vault/sessions",
      ...(props.authorizerCode
        ? { code: props.authorizerCode, handler: "index.handler" }
        : {
            entry: AUTHORIZER_ENTRY,
            depsLockFilePath: DEPS_LOCK_FILE,
            handler: "handler",
            bundling: HANDLER_BUNDLING,
          }),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // API Gateway waits 10 s for an authorizer; the clients give up sooner (create-authorizer.ts).
      timeout: Duration.seconds(10),
      memorySize: 256,
      role,
      logGroup: this.authorizerLogGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: "vault-session-broker-authorizer",
        BROKER_KEYS_TABLE_NAME: this.table.tableName,
        BROKER_KEYS_PEPPER_SECRET_ID: this.pepper.secretArn,
      },
    });

    this.authorizer = new HttpLambdaAuthorizer("BrokerKeyAuthorizer", this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ["$request.header.Authorization"],
      resultsCacheTtl: props.resultsCacheTtl ?? Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });
    this.route = new HttpRoute(this, "SdkVaultSessionsRoute", {
      httpApi: props.httpApi,
      routeKey: HttpRouteKey.with(BROKER_KEY_ROUTE_PATH, HttpMethod.POST),
      integration: props.integration ?? new HttpLambdaIntegration("BrokerKeysBroker", props.handler),
      authorizer: this.authorizer,
    });
    this.alarms = new BrokerKeyAlarms(this, "Alarms", {
      authorizer: this.authorizerFunction,
      logGroup: this.authorizerLogGroup,
      topic: props.alarmTopic,
    });
  }

  /**
   * What the operator tool needs (`npm run keys`): read, create, revoke and list keys, and read the
   * pepper to hash new ones. For the operator's role or group; never for the function or callers.
   */
  grantManageKeys(grantee: IGrantable): Grant {
    return grantKeyWrites(grantee, this.table, this.pepper, this.encryptionKey);
  }
}
