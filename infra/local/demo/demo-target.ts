import type { JWTPayload } from "jose";
import type { LocalStack } from "../local-stack.ts";
import type { DemoTarget } from "./demo-server.ts";

/**
 * What `npm start`'s demo app talks to: the local stack's broker, development JWTs from its issuer
 * (with `claims`, e.g. another `sub`), and, when the Apideck simulator runs, vault-js pointed at
 * the simulator's stand-in modal frame, so the modal works with no internet. With a real Apideck
 * (`APIDECK_BASE_URL`), vault-js is served unchanged and opens https://vaultjs.apideck.com.
 */
export function demoTargetFor(stack: LocalStack, claims: JWTPayload = {}): DemoTarget {
  return {
    brokerUrl: stack.url,
    mintToken: () => stack.jwt.mint(claims),
    vaultJsFrameUrl: stack.simulator ? `${stack.simulator.url}/vaultjs/` : undefined,
  };
}

/** The origins a browser may show the demo app under: its URL, and the same port on localhost. */
export function demoOrigins(demoUrl: string): string[] {
  const { port } = new URL(demoUrl);
  return [demoUrl, `http://localhost:${port}`];
}
