import type { Alarm, IMetric } from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { FilterPattern, type ILogGroup, MetricFilter } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { brokerAlarm, METRIC_NAMESPACE, METRIC_PERIOD, notifyTopic } from "./broker-alarms.ts";

/** Broker keys refused by the authorizer (uncached decisions), from its `outcome` log field. */
export const BROKER_KEY_DENIALS_METRIC = "BrokerKeyDenials";

/** Denials in 5 minutes that raise the alarm: a client with a revoked or wrong key, or someone guessing. */
export const DENIALS_THRESHOLD = 25;

/** Properties of `BrokerKeyAlarms`. */
export interface BrokerKeyAlarmsProps {
  readonly authorizer: IFunction;
  /** The authorizer's log group: one JSON line per decision. */
  readonly logGroup: ILogGroup;
  /** @default - no actions */
  readonly topic?: ITopic | undefined;
}

/**
 * Counts authorizer denials (a metric filter on `{"message": "broker key authorization",
 * "outcome": "denied"}` lines, by function name) and alarms on a burst of them, and on any
 * authorizer error (the table or the pepper unreadable: every uncached broker-key call gets 500).
 */
export class BrokerKeyAlarms extends Construct {
  public readonly denials: IMetric;
  public readonly denialsAlarm: Alarm;
  public readonly authorizerErrors: Alarm;

  constructor(scope: Construct, id: string, props: BrokerKeyAlarmsProps) {
    super(scope, id);
    const filter = new MetricFilter(this, "DenialsFilter", {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue("$.message", "=", "broker key authorization"),
        FilterPattern.stringValue("$.outcome", "=", "denied"),
      ),
      metricNamespace: METRIC_NAMESPACE,
      metricName: BROKER_KEY_DENIALS_METRIC,
      metricValue: "1",
      dimensions: { FunctionName: "$.function_name" },
    });
    this.denials = filter.metric({
      statistic: "Sum",
      period: METRIC_PERIOD,
      dimensionsMap: { FunctionName: props.authorizer.functionName },
    });
    this.denialsAlarm = brokerAlarm(
      this,
      "Denials",
      this.denials,
      DENIALS_THRESHOLD,
      "Broker keys were refused: revoked, expired, wrong or guessed keys.",
    );
    this.authorizerErrors = brokerAlarm(
      this,
      "AuthorizerErrors",
      props.authorizer.metricErrors({ period: METRIC_PERIOD }),
      1,
      "The broker-key authorizer failed (key table or pepper unreadable): broker-key calls get 500.",
    );
    if (props.topic) notifyTopic(props.topic, [this.denialsAlarm, this.authorizerErrors]);
  }
}
