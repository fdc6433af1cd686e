import type { JWTPayload } from "jose";
import { type DemoApp, startDemoApp } from "../../../infra/local/demo/demo-server.ts";
import { demoOrigins, demoTargetFor } from "../../../infra/local/demo/demo-target.ts";
import type { LocalStack } from "../../../infra/local/local-stack.ts";
import { startTemporaryCors } from "./temporary-cors.ts";

/** The variables local mode reads or sets; cleared before and after, so no other suite's values leak in. */
const LOCAL_ENV = [
  "APIDECK_APP_ID",
  "APIDECK_BASE_URL",
  "APIDECK_SECRET_ID",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "CORS_ORIGINS",
];

/** The local stack with three copies of the demo app, each on its own loopback origin. */
export type BrowserStack = {
  stack: LocalStack;
  /** `npm start`'s demo: in CORS_ORIGINS, vault-js pointed at the simulator's stand-in frame. */
  demo: DemoApp;
  /** In CORS_ORIGINS, serving vault-js unchanged: its modal loads https://vaultjs.apideck.com. */
  plainDemo: DemoApp;
  /** Not in CORS_ORIGINS: what any other site is to the broker. */
  foreignDemo: DemoApp;
  close(): Promise<void>;
};

/**
 * Starts the local stack the way `npm start` does (its demo's origins in CORS_ORIGINS), with the
 * function's policy from `env`, and demo apps whose development JWTs carry `claims`.
 */
export async function startBrowserStack(
  env: Record<string, string>,
  claims: JWTPayload,
): Promise<BrowserStack> {
  for (const name of [...LOCAL_ENV, ...Object.keys(env)]) delete process.env[name];
  Object.assign(process.env, env);
  const [demo, plainDemo, foreignDemo] = await Promise.all([startDemoApp(), startDemoApp(), startDemoApp()]);
  const { startLocalStack } = await import("../../../infra/local/local-stack.ts");
  const realStack = await startLocalStack();
  const cors = await startTemporaryCors(() => realStack.url, [...demoOrigins(demo.url), plainDemo.url]);
  const stack = {
    ...realStack,
    url: cors.url,
    close: () => Promise.all([realStack.close(), cors.close()]).then(() => {}),
  };
  const target = demoTargetFor(stack, claims);
  demo.connect(target);
  plainDemo.connect({ ...target, vaultJsFrameUrl: undefined });
  foreignDemo.connect(target);
  return {
    stack,
    demo,
    plainDemo,
    foreignDemo,
    async close() {
      await Promise.all([stack.close(), demo.close(), plainDemo.close(), foreignDemo.close()]);
      for (const name of [...LOCAL_ENV, ...Object.keys(env)]) delete process.env[name];
    },
  };
}
