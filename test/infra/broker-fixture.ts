import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Code } from "aws-cdk-lib/aws-lambda";
import type { IConstruct } from "constructs";
import { VaultSessionBroker, type VaultSessionBrokerProps } from "../../infra/vault-session-broker.ts";

/** Stands in for the esbuild bundle, so that construct tests never bundle. */
export const INLINE_CODE = Code.fromInline("export const handler = () => {}");

/**
 * A fresh App for one test. It synthesizes into the test file's one temporary `CDK_OUTDIR`, which
 * test/support/cdk-outdir.ts (a vitest setup file) creates and removes. CloudFormation schema
 * validation is off: it triples the synth time, and `npm run synth` (cdk synth) still runs it.
 * `autoSynth` is off: with `CDK_OUTDIR` set, an App otherwise synthesizes once more when the test
 * process exits, after the outdir is gone (an uncaught ENOENT, seen once in CI).
 */
export function testApp(context?: Record<string, unknown>): App {
  return new App({ context, builtinCloudFormationValidation: false, autoSynth: false });
}

/** What `buildBroker` returns: a fresh stack holding one broker, and its template. */
export interface BrokerFixture {
  readonly stack: Stack;
  readonly broker: VaultSessionBroker;
  readonly template: Template;
}

/**
 * Builds a fresh App and env-agnostic Stack holding one `VaultSessionBroker` with inline code.
 * `props` may be a function of the stack, for props that need a scope (imported secrets, keys, topics).
 */
export function buildBroker(
  props: Partial<VaultSessionBrokerProps> | ((stack: Stack) => Partial<VaultSessionBrokerProps>) = {},
  afterwards?: (fixture: Omit<BrokerFixture, "template">) => void,
): BrokerFixture {
  const stack = new Stack(testApp(), "Test");
  const extra = typeof props === "function" ? props(stack) : props;
  const broker = new VaultSessionBroker(stack, "Broker", {
    appId: "test-app-id",
    functionCode: INLINE_CODE,
    ...extra,
  });
  afterwards?.({ stack, broker });
  return { stack, broker, template: Template.fromStack(stack) };
}

/** cdk-nag AwsSolutions findings left after acknowledgements, as `rule @ construct path` strings. */
export async function nagFindings(scope: IConstruct): Promise<string[]> {
  // Loaded on demand: cdk-nag pulls in every AWS service module, which most test files never need.
  const { AwsSolutionsChecks } = await import("cdk-nag");
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`),
  );
}

/**
 * Renders a resolved CloudFormation string (`Fn::Join` of literals and `Ref`s) as one string with
 * `<Ref>` placeholders, as cdk-nag prints them (`arn:<AWS::Partition>:execute-api:...`), so tests
 * can match its shape without naming logical ids.
 */
export function cfnString(value: unknown): string {
  if (typeof value === "string") return value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v["Fn::Join"])) {
    const [separator, parts] = v["Fn::Join"] as [string, unknown[]];
    return parts.map(cfnString).join(separator);
  }
  if (typeof v.Ref === "string") return `<${v.Ref}>`;
  if (Array.isArray(v["Fn::GetAtt"])) return `<${(v["Fn::GetAtt"] as string[]).join(".")}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** Every statement of every IAM policy in the template. */
export function policyStatements(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
  );
}

/** One widget of a dashboard body, as CloudWatch reads it. */
export interface DashboardWidget {
  readonly type: string;
  readonly width: number;
  readonly properties: Record<string, unknown> & { title?: string; query?: string; metrics?: unknown[][] };
}

/** The widgets of the template's one dashboard, with references rendered by `cfnString`. */
export function dashboardWidgets(template: Template): DashboardWidget[] {
  const dashboards = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  return JSON.parse(cfnString(dashboards[0]?.Properties.DashboardBody)).widgets;
}
