import { randomBytes } from "node:crypto";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from "../../infra/local/secrets-manager-endpoint.ts";

/** The secret holding the API key, as JSON `{"apiKey": "..."}` (the format the stack documents). */
export const BENCH_SECRET_NAME = "vault-session-broker/apideck-api-key";

/** The loopback stand-ins every child talks to, running in the bench's own process. */
export interface Stubs {
  readonly apideck: ApideckSimulator;
  readonly secrets: SecretsManagerEndpoint;
  /** The key the simulator accepts and the secret holds. */
  readonly apiKey: string;
  readonly appId: string;
  close(): Promise<void>;
}

/** Starts the Apideck simulator and the Secrets Manager endpoint on 127.0.0.1, free ports. */
export async function startStubs(): Promise<Stubs> {
  const apiKey = `sk_bench_${randomBytes(16).toString("hex")}`;
  const appId = "bench-app-id";
  const apideck = await startApideckSimulator({ apiKey, appId });
  const secrets = await startSecretsManagerEndpoint({
    secrets: { [BENCH_SECRET_NAME]: JSON.stringify({ apiKey }) },
  });
  return {
    apideck,
    secrets,
    apiKey,
    appId,
    close: async () => {
      await Promise.all([apideck.close(), secrets.close()]);
    },
  };
}
