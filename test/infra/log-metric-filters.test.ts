import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";
import { buildBroker } from "./broker-fixture.ts";
import { matchesFilterPattern } from "./json-filter-pattern.ts";

// The contract between the function's request line and the construct's metric filters: the
// patterns and the dimension and value keys the template holds, run over lines the real handler
// wrote. With Lambda's JSON log format the lines reach CloudWatch as written (Lambda does not
// encode JSON twice), so what matches here matches there.

type Line = Record<string, unknown>;
interface Transformation {
  MetricName: string;
  MetricValue: string;
  Dimensions?: { Key: string; Value: string }[];
}

const read = (line: Line, selector: string) => line[selector.replace(/^\$\./, "")];

describe("Metric filters over the function's request lines", () => {
  let harness: BrokerHarness;
  let lines: Line[];
  const filters = Object.values(buildBroker().template.findResources("AWS::Logs::MetricFilter")).map((f) => ({
    pattern: f.Properties.FilterPattern as string,
    transformation: f.Properties.MetricTransformations[0] as Transformation,
  }));
  const filter = (metricName: string) => {
    const found = filters.find((f) => f.transformation.MetricName === metricName);
    if (!found) throw new Error(`no metric filter for ${metricName}`);
    return found;
  };
  const matching = (metricName: string) =>
    lines.filter((line) => matchesFilterPattern(filter(metricName).pattern, line));

  beforeAll(async () => {
    harness = await startBrokerHarness({ env: { UPSTREAM_TIMEOUT_MS: "5000" } });
    await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "account:1" }, body: {} });
    await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "account:1" }, body: "{bad" });
    await harness.postSessions({ body: {} });
    harness.simulator.inject({ kind: "status", status: 500 });
    harness.simulator.inject({ kind: "status", status: 500 });
    harness.simulator.inject({ kind: "status", status: 500 });
    // A direct invocation fails by throwing, as Step Functions expects.
    await harness.invoke({ consumer_id: "account:2" }).catch(() => undefined);
    lines = harness.logs.lines() as Line[];
  });

  afterAll(async () => {
    await harness.close();
  });

  it("has a request line for each request, with the keys the filters read", () => {
    const requests = matching("Requests");

    expect(requests.map((l) => [l.route, l.outcome])).toEqual([
      ["POST /vault/sessions", "ok"],
      ["POST /vault/sessions", "client_error"],
      ["POST /sessions", "ok"],
      ["invoke", "upstream_error"],
    ]);
    for (const line of requests) {
      for (const { Value } of filter("Requests").transformation.Dimensions ?? []) {
        expect(typeof read(line, Value), `${Value} of ${JSON.stringify(line)}`).toBe("string");
      }
    }
  });

  it("counts upstream failures from the same lines", () => {
    expect(matching("UpstreamFailures").map((l) => l.route)).toEqual(["invoke"]);
  });

  it("takes Apideck's latency, a number, from every request that reached Apideck", () => {
    const latency = matching("UpstreamLatency");

    expect(latency.map((l) => l.route)).toEqual(["POST /vault/sessions", "POST /sessions", "invoke"]);
    for (const line of latency)
      expect(read(line, filter("UpstreamLatency").transformation.MetricValue)).toBeTypeOf("number");
  });

  it("counts one cold start, the instance's first request", () => {
    expect(matching("ColdStarts").map((l) => l.route)).toEqual(["POST /vault/sessions"]);
  });
});
