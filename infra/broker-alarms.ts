import { Duration } from "aws-cdk-lib";
import type { IHttpStage } from "aws-cdk-lib/aws-apigatewayv2";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { FilterPattern, type ILogGroup, MetricFilter } from "aws-cdk-lib/aws-logs";
import { type ITopic, Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

/** Namespace of the metrics the broker derives from its logs. */
export const METRIC_NAMESPACE = "VaultSessionBroker";
/** Requests whose Apideck call failed, counted from the handler's `outcome` log field. */
export const UPSTREAM_FAILURES_METRIC = "UpstreamFailures";

/** The period of every broker metric: what each alarm evaluates (once) and each graph plots. */
export const METRIC_PERIOD = Duration.minutes(5);

/**
 * An alarm as every alarm of the broker and its authorizer is made: one 5-minute period at or
 * above `threshold`, missing data fine (an idle broker emits no datapoints).
 */
export function brokerAlarm(
  scope: Construct,
  id: string,
  metric: IMetric,
  threshold: number,
  description: string,
): Alarm {
  return new Alarm(scope, id, {
    metric,
    threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
}

/** Sends each alarm's ALARM and OK transitions to `topic`. */
export function notifyTopic(topic: ITopic, alarms: readonly Alarm[]): void {
  const action = new SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

/** Properties of `BrokerAlarms`. */
export interface BrokerAlarmsProps {
  readonly handler: IFunction;
  /** The function's log group, where the handler writes one JSON line per request. */
  readonly logGroup: ILogGroup;
  readonly stage: IHttpStage;
  /** The function timeout; the duration alarm fires at 80 % of it, before requests start timing out. */
  readonly timeout: Duration;
  /** Receives alarm and OK notifications. @default - a new topic when `email` is set, else no actions */
  readonly topic?: ITopic;
  /** Subscribed to the topic (created if needed). @default - no subscription */
  readonly email?: string;
  /** Customer-managed key of the topic this construct creates. @default - no encryption at rest */
  readonly topicEncryptionKey?: IKey;
}

/**
 * CloudWatch alarms on the broker: function errors and throttles, API 5xx, upstream (Apideck)
 * failures and p99 duration. Each evaluates one 5-minute period and treats missing data as fine,
 * since an idle broker emits no datapoints.
 */
export class BrokerAlarms extends Construct {
  public readonly upstreamFailures: IMetric;
  public readonly functionErrors: Alarm;
  public readonly functionThrottles: Alarm;
  public readonly api5xx: Alarm;
  public readonly upstreamFailuresAlarm: Alarm;
  public readonly durationP99: Alarm;
  /** The topic the alarms notify, if any. */
  public readonly topic?: ITopic;

  constructor(scope: Construct, id: string, props: BrokerAlarmsProps) {
    super(scope, id);
    // The handler logs `{"outcome": "upstream_error", "function_name": ...}` once per request whose
    // Apideck call failed. The FunctionName dimension keeps two deployments in one account apart
    // (CloudWatch allows no default value on a filter with dimensions: idle periods are missing data).
    const filter = new MetricFilter(this, "UpstreamFailuresFilter", {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.stringValue("$.outcome", "=", "upstream_error"),
      metricNamespace: METRIC_NAMESPACE,
      metricName: UPSTREAM_FAILURES_METRIC,
      metricValue: "1",
      dimensions: { FunctionName: "$.function_name" },
    });
    this.upstreamFailures = filter.metric({
      statistic: "Sum",
      period: METRIC_PERIOD,
      dimensionsMap: { FunctionName: props.handler.functionName },
    });

    // Unhandled errors only: the handler answers its own 4xx/5xx, so any Lambda error is a bug or a timeout.
    this.functionErrors = brokerAlarm(
      this,
      "FunctionErrors",
      props.handler.metricErrors({ period: METRIC_PERIOD }),
      1,
      "The broker function failed (unhandled error or timeout).",
    );
    this.functionThrottles = brokerAlarm(
      this,
      "FunctionThrottles",
      props.handler.metricThrottles({ period: METRIC_PERIOD }),
      1,
      "Invocations of the broker function were throttled (concurrency limit).",
    );
    this.api5xx = brokerAlarm(
      this,
      "Api5xx",
      props.stage.metricServerError({ period: METRIC_PERIOD }),
      5,
      "The API answered 5xx (broker or Apideck failures).",
    );
    this.upstreamFailuresAlarm = brokerAlarm(
      this,
      "UpstreamFailures",
      this.upstreamFailures,
      5,
      "Calls to Apideck failed (timeout, network, 5xx or invalid response).",
    );
    const thresholdMs = Math.floor(props.timeout.toMilliseconds() * 0.8);
    this.durationP99 = brokerAlarm(
      this,
      "DurationP99",
      props.handler.metricDuration({ statistic: "p99", period: METRIC_PERIOD }),
      thresholdMs,
      `p99 duration of the broker function reached ${thresholdMs} ms; the timeout is near.`,
    );

    // enforceSSL: the topic policy denies publishing and subscribing over plain HTTP.
    this.topic =
      props.topic ??
      (props.email
        ? new Topic(this, "Topic", { enforceSSL: true, masterKey: props.topicEncryptionKey })
        : undefined);
    if (props.email) this.topic?.addSubscription(new EmailSubscription(props.email));
    if (this.topic) notifyTopic(this.topic, this.all);
  }

  /** Every alarm of the broker. */
  get all(): Alarm[] {
    return [
      this.functionErrors,
      this.functionThrottles,
      this.api5xx,
      this.upstreamFailuresAlarm,
      this.durationP99,
    ];
  }
}
