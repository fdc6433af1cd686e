import { Duration } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer, HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { Grant, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from "./cors-settings.ts";
import { StageScopedLambdaIntegration } from "./stage-scoped-lambda-integration.ts";

/** Path of the SigV4 (IAM) route, for backends calling with AWS credentials. */
export const IAM_ROUTE_PATH = "/vault/sessions";
/** Path of the JWT route, for browsers and apps holding a token from the configured issuer. */
export const JWT_ROUTE_PATH = "/sessions";
/** The explicit stage; `$default` serves at the API's root URL. */
export const STAGE_NAME = "$default";

/**
 * One JSON object per request. The caller fields say who asked: the IAM identity on the SigV4 route,
 * the token's `sub` on the JWT route. Every value is a string; absent ones read "-".
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  userArn: "$context.identity.userArn",
  jwtSub: "$context.authorizer.claims.sub",
  routeKey: "$context.routeKey",
  status: "$context.status",
  integrationLatency: "$context.integrationLatency",
  responseLatency: "$context.responseLatency",
  integrationErrorMessage: "$context.integrationErrorMessage",
  errorMessage: "$context.error.message",
} as const;

/** An OAuth scope token (RFC 6749 section 3.3): printable ASCII without space, `"` or `\`. */
export const OAUTH_SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/;
/** What `OAUTH_SCOPE` accepts, in words, for error messages. */
export const OAUTH_SCOPE_FORM = "must be OAuth scopes: printable ASCII without spaces, quotes or backslashes";

/** JWT authorizer settings; the `POST /sessions` route exists only when they are given. */
export interface JwtAuthorizerOptions {
  /** Token issuer URL (the `iss` claim), e.g. `https://example.eu.auth0.com/`. */
  readonly issuer: string;
  /** Accepted audiences; a token must carry at least one in `aud`. */
  readonly audience: readonly string[];
  /**
   * OAuth scopes of `POST /sessions`: API Gateway accepts a token only if its `scope` (or `scp`)
   * claim holds at least one of them, so a machine-to-machine token of the same issuer and audience
   * is refused unless it has one. @default - none: any token of the issuer and audience
   */
  readonly scopes?: readonly string[];
}

/** Properties of `BrokerHttpApi`; the broker construct supplies its documented defaults. */
export interface BrokerHttpApiProps {
  /** The function behind every route. */
  readonly handler: IFunction;
  /** Stage-wide throttling. */
  readonly throttle: Required<ThrottleSettings>;
  /** Retention of the access log group. */
  readonly logRetention: RetentionDays;
  /** Customer-managed key of the access log group. @default - CloudWatch Logs' own encryption */
  readonly logsEncryptionKey?: IKey;
  /** Browser origins allowed by CORS; empty means no CORS configuration at all. */
  readonly corsOrigins: readonly string[];
  /** Adds `POST /sessions` behind this JWT authorizer when set. */
  readonly jwt?: JwtAuthorizerOptions;
}

/**
 * The HTTP API in front of the broker: an explicit `$default` stage with throttling and JSON access
 * logs, and only authorized routes (there is no `$default` catch-all route).
 */
export class BrokerHttpApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly accessLogGroup: LogGroup;
  /** The function's integration, scoped to the `$default` stage and POST; other routes reuse it. */
  public readonly integration: StageScopedLambdaIntegration;
  /** `POST /vault/sessions`, AWS_IAM authorization. */
  public readonly iamRoute: HttpRoute;
  /** `POST /sessions`, JWT authorization; undefined unless a JWT issuer is configured. */
  public readonly jwtRoute?: HttpRoute;

  constructor(scope: Construct, id: string, props: BrokerHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, "Api", {
      description: "Creates Apideck Vault sessions",
      // The default stage has no access logs or throttling; ours below has both.
      createDefaultStage: false,
      // The settings the local gateway plays too (cors-settings.ts); only the origins vary.
      corsPreflight: props.corsOrigins.length
        ? {
            allowOrigins: [...props.corsOrigins],
            allowMethods: CORS_ALLOW_METHODS.map((method) => CorsHttpMethod[method]),
            allowHeaders: [...CORS_ALLOW_HEADERS],
            exposeHeaders: [...CORS_EXPOSE_HEADERS],
            maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
          }
        : undefined,
    });

    this.accessLogGroup = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      encryptionKey: props.logsEncryptionKey,
    });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: STAGE_NAME,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // API Gateway may invoke the function from the $default stage and POST only.
    const integration = new StageScopedLambdaIntegration("Broker", props.handler, {
      stage: STAGE_NAME,
      method: HttpMethod.POST,
    });
    this.integration = integration;
    this.iamRoute = new HttpRoute(this, "VaultSessionsRoute", {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(IAM_ROUTE_PATH, HttpMethod.POST),
      integration,
      authorizer: new HttpIamAuthorizer(),
    });
    if (props.jwt) {
      this.jwtRoute = new HttpRoute(this, "SessionsRoute", {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(JWT_ROUTE_PATH, HttpMethod.POST),
        integration,
        authorizer: new HttpJwtAuthorizer("JwtAuthorizer", props.jwt.issuer, {
          jwtAudience: [...props.jwt.audience],
        }),
        authorizationScopes: props.jwt.scopes?.length ? [...props.jwt.scopes] : undefined,
      });
    }
  }

  /**
   * Grants `execute-api:Invoke` on the IAM route of this stage only; `HttpRoute.grantInvoke` would
   * allow it on every stage of the API.
   */
  grantInvokeIamRoute(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ["execute-api:Invoke"],
      resourceArns: [this.api.arnForExecuteApi(HttpMethod.POST, IAM_ROUTE_PATH, STAGE_NAME)],
    });
  }

  /** Full URL of a route path on the `$default` stage. */
  urlOf(path: string): string {
    return `${this.api.apiEndpoint}${path}`;
  }
}
