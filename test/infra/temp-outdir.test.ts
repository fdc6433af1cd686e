import { describe, expect, it } from "vitest";
import { buildBroker } from "./broker-fixture.ts";

describe("Test hygiene: CDK outdir", () => {
  it("synthesizes into the test file's one temporary outdir (test/support/cdk-outdir.ts), not a new cdk.out folder", () => {
    const { stack } = buildBroker();

    expect(process.env.CDK_OUTDIR).toMatch(/cdk\.out-vitest-[0-9a-f-]{36}$/);
    expect((stack.node.root as { outdir?: string }).outdir).toBe(process.env.CDK_OUTDIR);
  });

  it("leaves no App to synthesize again when the test process exits, after the outdir is gone", () => {
    const before = process.listenerCount("beforeExit");

    buildBroker();

    expect(process.listenerCount("beforeExit")).toBe(before);
  });
});
