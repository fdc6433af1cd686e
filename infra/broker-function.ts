import { CfnResource, type Duration, Lazy, Stack, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import {
  type ApplicationLogLevel,
  Architecture,
  type Code,
  LoggingFormat,
  Runtime,
  type SystemLogLevel,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { DEPS_LOCK_FILE, HANDLER_BUNDLING, HANDLER_ENTRY } from "./bundling-options.ts";

/** What `createBrokerFunction` needs; the broker construct supplies its documented defaults. */
export interface BrokerFunctionOptions {
  /** The whole environment of the function, the configuration variables included. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: RetentionDays;
  /** Customer-managed key of the log group. */
  readonly logsEncryptionKey?: IKey;
  readonly reservedConcurrency?: number;
  readonly tracing: boolean;
  /** Lambda drops application lines below this level and sets `AWS_LAMBDA_LOG_LEVEL` to it. */
  readonly applicationLogLevel: ApplicationLogLevel;
  /** Lambda drops its own (platform) lines below this level. */
  readonly systemLogLevel: SystemLogLevel;
  /** Used instead of bundling `lambda/handler.ts`. */
  readonly code?: Code;
}

/** The function with its own role and log group. */
export interface BrokerFunctionParts {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
}

/**
 * Creates the broker's function, its role and its log group directly in `scope` (not in a child
 * construct), so their logical ids, and with them the deployed log group, stay what they were.
 */
export function createBrokerFunction(scope: Construct, options: BrokerFunctionOptions): BrokerFunctionParts {
  const logGroup = new LogGroup(scope, "FunctionLogs", {
    retention: options.logRetention,
    encryptionKey: options.logsEncryptionKey,
  });
  // Our own role instead of AWSLambdaBasicExecutionRole: it may write to this log group only.
  const role = new Role(scope, "FunctionRole", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
  logGroup.grantWrite(role);

  const fn = new NodejsFunction(scope, "Function", {
    description: "Creates Apideck Vault sessions",
    ...(options.code
      ? { code: options.code, handler: "index.handler" }
      : {
          entry: HANDLER_ENTRY,
          depsLockFilePath: DEPS_LOCK_FILE,
          handler: "handler",
          bundling: HANDLER_BUNDLING,
        }),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    timeout: options.timeout,
    memorySize: options.memorySize,
    role,
    logGroup,
    // Lambda's advanced logging controls: our lines are JSON already, and Lambda keeps them as they
    // are (it does not encode JSON twice), so the metric filters read the same keys; it filters
    // them by their `level` key and tells the logger the level in AWS_LAMBDA_LOG_LEVEL.
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: options.applicationLogLevel,
    systemLogLevelV2: options.systemLogLevel,
    reservedConcurrentExecutions: options.reservedConcurrency,
    tracing: options.tracing ? Tracing.ACTIVE : undefined,
    environment: { ...options.environment },
  });
  dropRedundantRoleDependency(fn, role);
  if (options.tracing) {
    Validations.of(role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.",
    });
  }
  return { function: fn, logGroup, role };
}

/**
 * `Function` makes itself depend on its whole role construct, so the template lists the role in
 * `DependsOn` although `Role: !GetAtt` already orders them (cfn-lint W3005). Rendered lazily, after
 * the CDK has turned construct dependencies into resource ones: every dependency but the role stays,
 * the role's policy among them (Lambda checks the X-Ray permissions when it creates the function).
 */
function dropRedundantRoleDependency(fn: NodejsFunction, role: Role): void {
  const cfnFunction = fn.node.defaultChild as CfnResource;
  const cfnRole = role.node.defaultChild as CfnResource;
  const stack = Stack.of(fn);
  cfnFunction.addOverride(
    "DependsOn",
    Lazy.list({
      produce: () =>
        cfnFunction
          .obtainDependencies()
          .filter((d): d is CfnResource => d instanceof CfnResource && d !== cfnRole && Stack.of(d) === stack)
          .map((d) => stack.getLogicalId(d))
          .sort(),
    }),
  );
}
