import { type IMetric, Metric, Unit } from "aws-cdk-lib/aws-cloudwatch";
import { FilterPattern, type ILogGroup, MetricFilter } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { METRIC_NAMESPACE, METRIC_PERIOD } from "./broker-alarms.ts";

/** How a request ended: the `outcome` key of the function's request line (lambda/error-mapping.ts). */
export const OUTCOMES = ["ok", "client_error", "upstream_error", "internal_error"] as const;

/** One of `OUTCOMES`. */
export type Outcome = (typeof OUTCOMES)[number];

/** Requests by route and outcome, counted from the request lines. */
export const REQUESTS_METRIC = "Requests";
/** Latency of the last Apideck attempt, from `upstream_latency_ms`. */
export const UPSTREAM_LATENCY_METRIC = "UpstreamLatency";
/** First requests of new instances, from `cold_start`. */
export const COLD_STARTS_METRIC = "ColdStarts";

/** Properties of `BrokerLogMetrics`. */
export interface BrokerLogMetricsProps {
  /** The function's log group: one JSON request line per request, which Lambda's JSON format keeps as is. */
  readonly logGroup: ILogGroup;
  /** The function's name, the `FunctionName` dimension that keeps two deployments in one account apart. */
  readonly functionName: string;
}

/**
 * Metrics the CloudWatch Logs metric filters derive from the function's request lines (keys of
 * lambda/middlewares/request-logging.ts and lambda/json-logger.ts): requests by route and outcome,
 * Apideck latency and cold starts. Metric filters rather than the embedded metric format: the
 * function prints nothing extra and pays nothing at run time. The request line is an INFO line
 * when the request succeeds, so at an application log level of WARN these counts miss successes.
 */
export class BrokerLogMetrics extends Construct {
  private readonly functionName: string;

  constructor(scope: Construct, id: string, props: BrokerLogMetricsProps) {
    super(scope, id);
    this.functionName = props.functionName;
    // Dimensions from the line itself. CloudWatch allows no default value on a filter with
    // dimensions, so an idle period is missing data, not zero; routes x outcomes stay few (12).
    new MetricFilter(this, "RequestsFilter", {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.exists("$.outcome"),
      metricNamespace: METRIC_NAMESPACE,
      metricName: REQUESTS_METRIC,
      metricValue: "1",
      unit: Unit.COUNT,
      dimensions: { FunctionName: "$.function_name", Route: "$.route", Outcome: "$.outcome" },
    });
    new MetricFilter(this, "UpstreamLatencyFilter", {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.numberValue("$.upstream_latency_ms", ">=", 0),
      metricNamespace: METRIC_NAMESPACE,
      metricName: UPSTREAM_LATENCY_METRIC,
      metricValue: "$.upstream_latency_ms",
      unit: Unit.MILLISECONDS,
      dimensions: { FunctionName: "$.function_name" },
    });
    new MetricFilter(this, "ColdStartsFilter", {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.booleanValue("$.cold_start", true),
      metricNamespace: METRIC_NAMESPACE,
      metricName: COLD_STARTS_METRIC,
      metricValue: "1",
      unit: Unit.COUNT,
      dimensions: { FunctionName: "$.function_name" },
    });
  }

  /** Requests on `route` (as the line spells it: `POST /vault/sessions`, `invoke`) that ended in `outcome`. */
  requests(route: string, outcome: Outcome): IMetric {
    return this.metric(REQUESTS_METRIC, "Sum", { Route: route, Outcome: outcome }, outcome);
  }

  /** Apideck latency of the last attempt, at `statistic` (`p50`, `p99`). */
  upstreamLatency(statistic: string): IMetric {
    return this.metric(UPSTREAM_LATENCY_METRIC, statistic, {}, `Apideck ${statistic}`);
  }

  /** New instances' first requests. */
  coldStarts(): IMetric {
    return this.metric(COLD_STARTS_METRIC, "Sum", {}, "cold starts");
  }

  private metric(
    name: string,
    statistic: string,
    dimensions: Record<string, string>,
    label: string,
  ): IMetric {
    return new Metric({
      namespace: METRIC_NAMESPACE,
      metricName: name,
      dimensionsMap: { FunctionName: this.functionName, ...dimensions },
      statistic,
      period: METRIC_PERIOD,
      label,
    });
  }
}
