import type { JWTPayload } from "jose";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../local-stack.ts";
import { type DemoApp, type DemoTarget, startDemoApp } from "./demo-server.ts";

/**
 * What a demo app talks to in local mode: the local stack's broker, development JWTs from its
 * issuer (with `claims`, e.g. another `sub`), and, when the Apideck simulator runs, vault-js pointed
 * at the simulator's stand-in modal frame, so the modal works with no internet. With a real Apideck
 * (`APIDECK_BASE_URL`), vault-js is served unchanged and opens https://vaultjs.apideck.com.
 */
export function demoTargetFor(stack: LocalStack, claims: JWTPayload = {}): DemoTarget {
  return {
    brokerUrl: stack.url,
    mintToken: () => stack.jwt.mint(claims),
    vaultJsFrameUrl: stack.simulator ? `${stack.simulator.url}/vaultjs/` : undefined,
  };
}

/** The origins a browser may show a demo app under: its URL, and the same port on localhost. */
export function demoOrigins(demoUrl: string): string[] {
  return [demoUrl, `http://localhost:${new URL(demoUrl).port}`];
}

/** The local stack and its demo app. */
export type LocalStackWithDemo = { stack: LocalStack; demo: DemoApp; close(): Promise<void> };

/**
 * `npm start`'s wiring: the demo app on its own loopback origin (`demoPort`, 0 for a free one),
 * that origin added to CORS_ORIGINS (after any the user set), then the local stack on `port`, then
 * the demo connected to it. Its calls to the broker are cross-origin, as a deployed app's are.
 */
export async function startLocalStackWithDemo(
  options: {
    port?: number;
    demoPort?: number;
    claims?: JWTPayload;
    loadHandler?: LocalStackOptions["loadHandler"];
  } = {},
): Promise<LocalStackWithDemo> {
  const demo = await startDemoApp({ port: options.demoPort ?? 0 });
  try {
    const env = process.env;
    env.CORS_ORIGINS = [env.CORS_ORIGINS, ...demoOrigins(demo.url)].filter(Boolean).join(",");
    const stack = await startLocalStack({
      port: options.port ?? 0,
      ...(options.loadHandler && { loadHandler: options.loadHandler }),
    });
    demo.connect(demoTargetFor(stack, options.claims));
    return {
      stack,
      demo,
      async close() {
        await Promise.all([stack.close(), demo.close()]);
      },
    };
  } catch (error) {
    await demo.close();
    throw error;
  }
}
