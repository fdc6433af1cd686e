import { describe, expect, it } from "vitest";
import { runLoad } from "./load-pipeline.ts";
import { buildReport, renderReport } from "./load-report.ts";

// The load pipeline of `npm run load`, end to end with tiny numbers, so a broken pipeline shows in
// `npm test` rather than on the lead's quiet machine. Structure and the clean phase only: timings
// and memory are meaningless at this size, and the faulty phases' shares are too small to judge.

describe("Load: pipeline smoke", () => {
  it("runs every phase against the local server and reports a clean phase without errors", async () => {
    const run = await runLoad({
      amount: 300,
      connections: 8,
      warmupAmount: 50,
      faultRate: 0.1,
      maxPhaseMs: 8_000,
    });
    const report = buildReport(run);

    expect(report.phases.map((phase) => phase.name)).toEqual([
      "clean",
      "Apideck 404 (not retried)",
      "Apideck 503 (retried)",
    ]);
    const [clean, ...faulty] = report.phases;
    expect(clean).toMatchObject({
      requests: 300,
      non2xx: 0,
      socketErrors: 0,
      truncated: false,
      statusCounts: { 200: 300 },
    });
    expect(clean?.upstream).toEqual({ requests: 300, faults: 0 });
    for (const phase of faulty) {
      expect(phase).toMatchObject({ requests: 300, socketErrors: 0, mappedStatus: 502 });
      expect(Object.keys(phase.statusCounts).every((status) => status === "200" || status === "502")).toBe(
        true,
      );
    }
    expect(report).toMatchObject({
      logLevel: "WARN",
      node: process.version,
      machine: { cores: expect.any(Number) },
    });
    expect(report.machine.cpu).toEqual(expect.any(String));
    expect(clean?.rss.samples).toBeGreaterThanOrEqual(2);
    expect(renderReport(report)).toMatch(/\| clean \| 300 \|/);
  });
});
