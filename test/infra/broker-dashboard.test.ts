import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildBroker, cfnString, dashboardWidgets } from "./broker-fixture.ts";

const JWT = { issuer: "https://issuer.example.com/", audience: ["vault-api"] };
const OUTCOMES = ["ok", "client_error", "upstream_error", "internal_error"];

const titled = (widgets: ReturnType<typeof dashboardWidgets>, title: string) => {
  const widget = widgets.find((w) => w.properties.title === title);
  if (!widget) throw new Error(`no widget titled ${title}: ${widgets.map((w) => w.properties.title)}`);
  return widget;
};

describe("Construct: VaultSessionBroker", () => {
  describe("dashboard", () => {
    it("counts requests by route and outcome from the request line, per function", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::Logs::MetricFilter", {
        LogGroupName: stack.resolve(broker.logGroup.logGroupName),
        FilterPattern: '{ $.outcome = "*" }',
        MetricTransformations: [
          Match.objectLike({
            MetricNamespace: "VaultSessionBroker",
            MetricName: "Requests",
            MetricValue: "1",
            Unit: "Count",
            Dimensions: Match.arrayWith([
              { Key: "FunctionName", Value: "$.function_name" },
              { Key: "Route", Value: "$.route" },
              { Key: "Outcome", Value: "$.outcome" },
            ]),
          }),
        ],
      });
    });

    it("measures Apideck latency and cold starts from the request line", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::Logs::MetricFilter", {
        FilterPattern: "{ $.upstream_latency_ms >= 0 }",
        MetricTransformations: [
          Match.objectLike({
            MetricName: "UpstreamLatency",
            MetricValue: "$.upstream_latency_ms",
            Unit: "Milliseconds",
          }),
        ],
      });
      template.hasResourceProperties("AWS::Logs::MetricFilter", {
        FilterPattern: "{ $.cold_start IS TRUE }",
        MetricTransformations: [Match.objectLike({ MetricName: "ColdStarts", MetricValue: "1" })],
      });
    });

    it("graphs every outcome of the IAM route and of direct invocation, stacked", () => {
      const { stack, broker, template } = buildBroker();
      const widgets = dashboardWidgets(template);
      const functionName = cfnString(stack.resolve(broker.function.functionName));

      for (const [title, route] of [
        ["POST /vault/sessions (IAM): requests by outcome", "POST /vault/sessions"],
        ["Direct invocation: requests by outcome", "invoke"],
      ] as const) {
        const graph = titled(widgets, title);
        expect(graph.properties.stacked).toBe(true);
        expect(graph.properties.metrics).toEqual(
          OUTCOMES.map((outcome) => [
            "VaultSessionBroker",
            "Requests",
            "FunctionName",
            functionName,
            "Outcome",
            outcome,
            "Route",
            route,
            expect.objectContaining({ stat: "Sum", label: outcome }),
          ]),
        );
      }
      expect(widgets.map((w) => w.properties.title)).not.toContain(
        "POST /sessions (JWT): requests by outcome",
      );
    });

    it("adds the JWT route's graph when JWT is configured", () => {
      const { template } = buildBroker({ jwt: JWT });
      const widgets = dashboardWidgets(template);

      const graph = titled(widgets, "POST /sessions (JWT): requests by outcome");
      expect(graph.properties.metrics).toHaveLength(4);
      expect(graph.properties.metrics?.[0]).toContain("POST /sessions");
      expect(graph.width).toBe(8);
    });

    it("queries the top error names, Apideck statuses and secret reads with Logs Insights on the function's logs", () => {
      const { stack, broker, template } = buildBroker();
      const widgets = dashboardWidgets(template);
      const logGroup = cfnString(stack.resolve(broker.logGroup.logGroupName));

      const errors = titled(widgets, "Top error names");
      expect(errors.type).toBe("log");
      expect(errors.properties.query).toBe(
        `SOURCE '${logGroup}' | filter ispresent(error_name)\n| stats count(*) as requests by error_name, outcome\n| sort requests desc\n| limit 10`,
      );
      expect(titled(widgets, "Apideck status codes").properties.query).toMatch(
        /stats count\(\*\) as requests by upstream_status/,
      );
      expect(titled(widgets, "Secrets Manager: reads and failures").properties.query).toBe(
        `SOURCE '${logGroup}' | filter ispresent(secret_read)\n| parse error_class /^(?<secret_failure>Secret[A-Za-z]+)$/\n| stats count(*) as requests, count(secret_failure) as failed by secret_read\n| sort requests desc`,
      );
    });

    it("graphs Apideck latency p50 and p99 next to the function's", () => {
      const { template } = buildBroker();

      const latency = titled(
        dashboardWidgets(template),
        "Latency: Apideck (last attempt) and the whole function",
      );
      const stats = (latency.properties.metrics ?? []).map((m) => [
        m[1],
        (m.at(-1) as { stat: string }).stat,
      ]);
      expect(stats).toEqual([
        ["UpstreamLatency", "p50"],
        ["UpstreamLatency", "p99"],
        ["Duration", "p50"],
        ["Duration", "p99"],
      ]);
    });

    it("graphs cold starts, throttles and API Gateway's own counts", () => {
      const { template } = buildBroker();
      const widgets = dashboardWidgets(template);

      expect(titled(widgets, "Cold starts").properties.metrics?.[0]?.slice(0, 2)).toEqual([
        "VaultSessionBroker",
        "ColdStarts",
      ]);
      expect(titled(widgets, "Throttles and concurrency").properties.metrics?.[0]?.slice(0, 2)).toEqual([
        "AWS/Lambda",
        "Throttles",
      ]);
      expect(
        titled(widgets, "API Gateway: requests, 4xx, 5xx").properties.metrics?.map((m) => m.slice(0, 2)),
      ).toEqual([
        ["AWS/ApiGateway", "Count"],
        ["AWS/ApiGateway", "4xx"],
        ["AWS/ApiGateway", "5xx"],
      ]);
    });

    it("shows the state of every alarm", () => {
      const { stack, broker, template } = buildBroker();

      const alarms = titled(dashboardWidgets(template), "Alarms");
      expect(alarms.type).toBe("alarm");
      expect(alarms.properties.alarms).toEqual(
        broker.alarms.all.map((alarm) => cfnString(stack.resolve(alarm.alarmArn))),
      );
    });

    it("is on by default, and off with its metric filters when dashboard is false", () => {
      expect(buildBroker().broker.dashboard).toBeDefined();

      const { broker, template } = buildBroker({ dashboard: false });

      expect(broker.dashboard).toBeUndefined();
      template.resourceCountIs("AWS::CloudWatch::Dashboard", 0);
      // Only the alarm's own filter is left.
      template.resourceCountIs("AWS::Logs::MetricFilter", 1);
    });

    it("links to itself in the CloudWatch console of the stack's region", () => {
      const { stack, broker } = buildBroker();

      expect(cfnString(stack.resolve(broker.dashboard?.url))).toMatch(
        /^https:\/\/<AWS::Region>\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=<AWS::Region>#dashboards\/dashboard\/<\w+>$/,
      );
    });
  });
});
