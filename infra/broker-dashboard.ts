import { Aws, Duration, Fn } from "aws-cdk-lib";
import type { IHttpStage } from "aws-cdk-lib/aws-apigatewayv2";
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ILogGroup } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { METRIC_PERIOD } from "./broker-alarms.ts";
import { type BrokerLogMetrics, OUTCOMES } from "./broker-log-metrics.ts";

/** A route as the request line names it, and the title of its graph. */
export interface DashboardRoute {
  /** The line's `route`: `POST /vault/sessions`, `POST /sessions` or `invoke`. */
  readonly route: string;
  readonly title: string;
}

/** Properties of `BrokerDashboard`. */
export interface BrokerDashboardProps {
  readonly handler: IFunction;
  /** The function's log group, which the Logs Insights widgets query. */
  readonly logGroup: ILogGroup;
  readonly stage: IHttpStage;
  readonly metrics: BrokerLogMetrics;
  /** One graph of requests by outcome each. */
  readonly routes: readonly DashboardRoute[];
  /** Shown by state in the last row. */
  readonly alarms: readonly IAlarm[];
}

// Logs Insights queries over the request lines (keys of lambda/middlewares/request-logging.ts).
const TOP_ERRORS_QUERY = [
  "filter ispresent(error_name)",
  "stats count(*) as requests by error_name, outcome",
  "sort requests desc",
  "limit 10",
];
const UPSTREAM_STATUS_QUERY = [
  "filter ispresent(upstream_status)",
  "stats count(*) as requests by upstream_status",
  "sort upstream_status asc",
];
// Every request that read the Apideck key says how on its line, `secret_read` ("cache", "fetch" or
// "refresh"), also when the read failed; the failure is in `error_class` (SecretUnavailableError,
// SecretAccessError, SecretFormatError; `error_name` says InternalError for the last two). So one
// row per kind of read, with how many of them failed to get the key.
const SECRET_READS_QUERY = [
  "filter ispresent(secret_read)",
  "parse error_class /^(?<secret_failure>Secret[A-Za-z]+)$/",
  "stats count(*) as requests, count(secret_failure) as failed by secret_read",
  "sort requests desc",
];

/**
 * The broker's CloudWatch dashboard: requests by route and outcome, the top error names, Apideck's
 * statuses and latency, secret reads, cold starts, throttles and the alarms' states (README "Logs
 * and alarms" draws its layout). Metrics come from the request lines through metric filters and
 * Logs Insights, and from AWS/Lambda and AWS/ApiGateway; nothing is added to the function.
 */
export class BrokerDashboard extends Construct {
  public readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: BrokerDashboardProps) {
    super(scope, id);
    const { handler, metrics, stage } = props;
    this.dashboard = new Dashboard(this, "Dashboard", { defaultInterval: Duration.hours(3) });
    this.url = Fn.join("", [
      "https://",
      Aws.REGION,
      ".console.aws.amazon.com/cloudwatch/home?region=",
      Aws.REGION,
      "#dashboards/dashboard/",
      this.dashboard.dashboardName,
    ]);
    const logGroupNames = [props.logGroup.logGroupName];
    const query = (title: string, queryLines: string[], view: LogQueryVisualizationType, width: number) =>
      new LogQueryWidget({ title, logGroupNames, queryLines, view, width, height: 6 });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          "## Vault session broker\nRequests by outcome come from the function's request lines (INFO for " +
          "`ok` and `client_error`, so an application log level of WARN hides them); API Gateway's own " +
          "counts are next to the top error names.",
        width: 24,
        height: 2,
      }),
    );
    const routeWidth = Math.floor(24 / props.routes.length);
    this.dashboard.addWidgets(
      ...props.routes.map(
        ({ route, title }): IWidget =>
          new GraphWidget({
            title: `${title}: requests by outcome`,
            left: OUTCOMES.map((outcome) => metrics.requests(route, outcome)),
            stacked: true,
            width: routeWidth,
            height: 6,
          }),
      ),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "API Gateway: requests, 4xx, 5xx",
        left: [
          stage.metricCount({ period: METRIC_PERIOD, label: "requests" }),
          stage.metricClientError({ period: METRIC_PERIOD, label: "4xx" }),
          stage.metricServerError({ period: METRIC_PERIOD, label: "5xx" }),
        ],
        width: 12,
        height: 6,
      }),
      query("Top error names", TOP_ERRORS_QUERY, LogQueryVisualizationType.TABLE, 12),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Latency: Apideck (last attempt) and the whole function",
        left: [
          metrics.upstreamLatency("p50"),
          metrics.upstreamLatency("p99"),
          handler.metricDuration({ statistic: "p50", period: METRIC_PERIOD, label: "function p50" }),
          handler.metricDuration({ statistic: "p99", period: METRIC_PERIOD, label: "function p99" }),
        ],
        width: 12,
        height: 6,
      }),
      query("Apideck status codes", UPSTREAM_STATUS_QUERY, LogQueryVisualizationType.BAR, 12),
    );
    this.dashboard.addWidgets(
      query("Secrets Manager: reads and failures", SECRET_READS_QUERY, LogQueryVisualizationType.TABLE, 8),
      new GraphWidget({ title: "Cold starts", left: [metrics.coldStarts()], width: 8, height: 6 }),
      new GraphWidget({
        title: "Throttles and concurrency",
        left: [handler.metricThrottles({ period: METRIC_PERIOD, label: "throttles" })],
        right: [
          handler.metric("ConcurrentExecutions", {
            statistic: "Maximum",
            period: METRIC_PERIOD,
            label: "concurrency",
          }),
        ],
        width: 8,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: "Alarms", alarms: [...props.alarms], width: 24, height: 3 }),
    );
  }

  /**
   * A row for broker keys, when the stack has them: authorizer denials (uncached decisions, from
   * its log lines), its errors and invocations, and the state of its two alarms.
   */
  addBrokerKeyWidgets(keys: {
    readonly authorizerFunction: IFunction;
    readonly alarms: {
      readonly denials: IMetric;
      readonly denialsAlarm: IAlarm;
      readonly authorizerErrors: IAlarm;
    };
  }): void {
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Broker keys: authorizer denials",
        left: [keys.alarms.denials],
        width: 8,
        height: 6,
      }),
      new GraphWidget({
        title: "Broker keys: authorizer invocations and errors",
        left: [
          keys.authorizerFunction.metricInvocations({ period: METRIC_PERIOD }),
          keys.authorizerFunction.metricErrors({ period: METRIC_PERIOD }),
        ],
        width: 8,
        height: 6,
      }),
      new AlarmStatusWidget({
        title: "Broker-key alarms",
        alarms: [keys.alarms.denialsAlarm, keys.alarms.authorizerErrors],
        width: 8,
        height: 6,
      }),
    );
  }
}
