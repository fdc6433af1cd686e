import type { JWTPayload } from "jose";
import { type DemoApp, startDemoApp } from "../../../infra/local/demo/demo-server.ts";
import { demoTargetFor, startLocalStackWithDemo } from "../../../infra/local/demo/demo-stack.ts";
import type { LocalStack } from "../../../infra/local/local-stack.ts";
import { loadBundleHandler } from "../../support/handler-bundle.ts";

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
  /** `npm start`'s demo, wired as `npm start` wires it: vault-js pointed at the stand-in frame. */
  demo: DemoApp;
  /** Also in CORS_ORIGINS, serving vault-js unchanged: its modal loads https://vaultjs.apideck.com. */
  plainDemo: DemoApp;
  /** Not in CORS_ORIGINS: what any other site is to the broker. */
  foreignDemo: DemoApp;
  close(): Promise<void>;
};

/**
 * Starts the local stack with its demo exactly as `npm start` does (`startLocalStackWithDemo`),
 * the function's policy from `env`, and demo apps whose development JWTs carry `claims`. The
 * plain demo's origin is set in CORS_ORIGINS the way a user would.
 */
export async function startBrowserStack(
  env: Record<string, string>,
  claims: JWTPayload,
): Promise<BrowserStack> {
  for (const name of [...LOCAL_ENV, ...Object.keys(env)]) delete process.env[name];
  Object.assign(process.env, env);
  const [plainDemo, foreignDemo] = await Promise.all([startDemoApp(), startDemoApp()]);
  process.env.CORS_ORIGINS = plainDemo.url;
  // The deployment bundle behind the gateway, as in every caller-facing suite.
  const { stack, demo } = await startLocalStackWithDemo({ claims, loadHandler: loadBundleHandler });
  const target = demoTargetFor(stack, claims);
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
