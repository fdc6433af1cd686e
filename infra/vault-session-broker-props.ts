import type { Duration } from "aws-cdk-lib";
import type { ThrottleSettings } from "aws-cdk-lib/aws-apigatewayv2";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Code } from "aws-cdk-lib/aws-lambda";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { JwtAuthorizerOptions } from "./http-api-routes.ts";
import type { SessionPolicyProps } from "./session-policy-environment.ts";

/** Properties of `VaultSessionBroker`. */
export interface VaultSessionBrokerProps {
  /** Apideck application id (`APIDECK_APP_ID`). */
  readonly appId: string;
  /**
   * Holds the Apideck API key, plain or as JSON `{"apiKey": "..."}`.
   * @default - a new secret holding a placeholder
   */
  readonly secret?: ISecret;
  /**
   * Customer-managed key of the secret; the function may decrypt with it through Secrets Manager only.
   * @default - the AWS managed key
   */
  readonly encryptionKey?: IKey;
  /** @default "https://unify.apideck.com" */
  readonly apideckBaseUrl?: string;
  /** How long an instance caches the API key. @default Duration.minutes(5) */
  readonly secretCacheTtl?: Duration;
  /** Timeout of one Apideck attempt; must be below the 15 s function timeout. @default Duration.seconds(5) */
  readonly upstreamTimeout?: Duration;
  /** JWT claim holding the Apideck consumer id. @default "sub" */
  readonly consumerIdClaim?: string;
  /** Adds `POST /sessions` behind a JWT authorizer. @default - only the IAM route */
  readonly jwt?: JwtAuthorizerOptions;
  /** The operator's session policy: defaults, redirect allow-list, locks, limits. @default - none beyond the function's defaults */
  readonly sessionPolicy?: SessionPolicyProps;
  /** Browser origins allowed by CORS. @default - no CORS */
  readonly corsOrigins?: readonly string[];
  /** Stage throttling. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: ThrottleSettings;
  /** Retention of every log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default - no reserved concurrency */
  readonly reservedConcurrency?: number;
  /** X-Ray active tracing on the function. @default false */
  readonly tracing?: boolean;
  /** Memory in MB. @default 256 (from `npm run bench`: peak RSS 72 MB cold, 136 MB warm; see README "Performance") */
  readonly memorySize?: number;
  /** Extra variables, merged with the construct's own (which they may not set). @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Subscribed by e-mail to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
  /** Receives alarm and OK notifications. @default - a new topic when `alarmEmail` is set, else none */
  readonly alarmTopic?: ITopic;
  /** Used instead of bundling `lambda/handler.ts`; tests pass inline code. @default - the esbuild bundle */
  readonly functionCode?: Code;
}
