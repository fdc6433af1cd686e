import { configDefaults, defineConfig } from "vitest/config";

// Tests run on the project's own Node 24 (node_modules/.bin/node, from the `node` dev dependency):
// npm scripts put node_modules/.bin first on PATH, so `npm test` never uses the system node.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The function's bundle, built once per run with the stack's options: caller-facing suites run on it.
    globalSetup: ["test/global-setup.ts"],
    // The browser suite needs Chromium: it runs with `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, "test/browser/**"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    restoreMocks: true,
    unstubEnvs: true,
    // Gives each test file's CDK Apps one temporary outdir, removed afterwards.
    setupFiles: ["test/support/cdk-outdir.ts"],
  },
});
