import { defineConfig } from "vitest/config";

// `npm run test:browser`: the browser suite (test/browser/), driving Debian's Chromium
// (/usr/bin/chromium) with playwright-core. Kept out of `npm test` so that a machine without a
// browser still runs every other suite. One file at a time: each starts a browser and a local stack.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    // The function's bundle, built once per run with the stack's options (test/global-setup.ts).
    globalSetup: ["test/global-setup.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    restoreMocks: true,
    unstubEnvs: true,
  },
});
