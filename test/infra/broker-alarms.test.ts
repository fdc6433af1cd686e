import { Match } from "aws-cdk-lib/assertions";
import { Topic } from "aws-cdk-lib/aws-sns";
import { describe, expect, it } from "vitest";
import { buildBroker } from "./broker-fixture.ts";

describe("Construct: VaultSessionBroker", () => {
  describe("alarms", () => {
    it("counts upstream failures from the handler's outcome log field", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::Logs::MetricFilter", {
        LogGroupName: stack.resolve(broker.logGroup.logGroupName),
        FilterPattern: '{ $.outcome = "upstream_error" }',
        MetricTransformations: [
          Match.objectLike({
            MetricNamespace: "VaultSessionBroker",
            MetricName: "UpstreamFailures",
            MetricValue: "1",
            Dimensions: [{ Key: "FunctionName", Value: "$.function_name" }],
          }),
        ],
      });
    });

    it("alarms on function errors and throttles", () => {
      const { stack, broker, template } = buildBroker();
      const functionDimension = [
        { Name: "FunctionName", Value: stack.resolve(broker.function.functionName) },
      ];

      for (const metric of ["Errors", "Throttles"]) {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", {
          Namespace: "AWS/Lambda",
          MetricName: metric,
          Dimensions: functionDimension,
          Statistic: "Sum",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "notBreaching",
        });
      }
    });

    it("alarms on 5xx answers of the $default stage", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/ApiGateway",
        MetricName: "5xx",
        Dimensions: Match.arrayWith([
          { Name: "ApiId", Value: stack.resolve(broker.http.api.apiId) },
          { Name: "Stage", Value: "$default" },
        ]),
        Statistic: "Sum",
        Threshold: 5,
      });
    });

    it("alarms on upstream failures", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "VaultSessionBroker",
        MetricName: "UpstreamFailures",
        Statistic: "Sum",
        Threshold: 5,
      });
    });

    it("alarms when p99 duration reaches 80 % of the 15 s timeout", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/Lambda",
        MetricName: "Duration",
        ExtendedStatistic: "p99",
        Threshold: 12_000,
      });
    });

    it("has five alarms without actions and no topic by default", () => {
      const { template } = buildBroker();

      template.resourceCountIs("AWS::CloudWatch::Alarm", 5);
      template.allResourcesProperties("AWS::CloudWatch::Alarm", { AlarmActions: Match.absent() });
      template.resourceCountIs("AWS::SNS::Topic", 0);
    });

    it("creates an SSL-only topic with an e-mail subscription that every alarm notifies", () => {
      const { stack, broker, template } = buildBroker({ alarmEmail: "ops@example.com" });
      const topicArn = stack.resolve(broker.alarmTopic?.topicArn);

      template.resourceCountIs("AWS::SNS::Topic", 1);
      template.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "email",
        Endpoint: "ops@example.com",
        TopicArn: topicArn,
      });
      template.hasResourceProperties("AWS::SNS::TopicPolicy", {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
      template.allResourcesProperties("AWS::CloudWatch::Alarm", {
        AlarmActions: [topicArn],
        OKActions: [topicArn],
      });
    });

    it("notifies an existing topic without creating one", () => {
      const topicArn = "arn:aws:sns:eu-west-1:123456789012:ops-alarms";
      const { template } = buildBroker((stack) => ({
        alarmTopic: Topic.fromTopicArn(stack, "Ops", topicArn),
      }));

      template.resourceCountIs("AWS::SNS::Topic", 0);
      template.resourceCountIs("AWS::SNS::Subscription", 0);
      template.allResourcesProperties("AWS::CloudWatch::Alarm", { AlarmActions: [topicArn] });
      expect(Object.keys(template.findResources("AWS::CloudWatch::Alarm"))).toHaveLength(5);
    });
  });
});
