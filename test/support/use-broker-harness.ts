import { afterEach, expect } from "vitest";
import { type BrokerHarness, type HarnessOptions, startBrokerHarness } from "./broker-harness.ts";

/**
 * For suites whose tests each start their own harness: `const harnesses = useBrokerHarness()` at
 * the top of a describe block, `const harness = await harnesses.start(options)` in a test. After
 * each test every harness it started is closed and its captured log is checked for leaked secrets.
 */
export function useBrokerHarness(): { start(options?: HarnessOptions): Promise<BrokerHarness> } {
  const started: BrokerHarness[] = [];

  afterEach(async () => {
    // Every harness is closed before any check can fail the hook and leave the rest running.
    const harnesses = started.splice(0);
    await Promise.allSettled(harnesses.map((harness) => harness.close()));
    for (const harness of harnesses) expect(harness.leakedSecrets()).toEqual([]);
  });

  return {
    async start(options) {
      const harness = await startBrokerHarness(options);
      started.push(harness);
      return harness;
    },
  };
}
