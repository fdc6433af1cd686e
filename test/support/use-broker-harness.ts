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
    for (const harness of started.splice(0)) {
      await harness.close();
      expect(harness.leakedSecrets()).toEqual([]);
    }
  });

  return {
    async start(options) {
      const harness = await startBrokerHarness(options);
      started.push(harness);
      return harness;
    },
  };
}
