import { createSessionTokenIssuer, type SessionClaims } from "./apideck-session-token.ts";
import { answerSessionsRoute } from "./apideck-sessions-route.ts";
import { playAnswer, type SimulatorFault } from "./apideck-simulator-faults.ts";
import { answerHostedVault } from "./hosted-vault/stand-in.ts";
import { flattenHeaders, readBody, startLoopbackServer, writeAnswer } from "./loopback-server.ts";

export type { SimulatorFault } from "./apideck-simulator-faults.ts";

/** Options of {@link startApideckSimulator}. */
export type ApideckSimulatorOptions = {
  /** The API key accepted as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** The only `x-apideck-app-id` the simulated account knows. */
  appId: string;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** Clock in epoch milliseconds, for token `iat` / `exp`. @default Date.now */
  now?: () => number;
  /** Source of randomness for {@link ApideckSimulator.setFaultRate}. @default Math.random */
  random?: () => number;
  /**
   * Base URL of the Hosted Vault that `session_uri` points at.
   * @default the simulator's own URL, whose stand-in Hosted Vault serves `/session/<token>`
   */
  hostedVaultUrl?: string;
};

/** One request as the simulator received it. */
export type SimulatorRequest = {
  method: string;
  /** Path with the query string, as sent. */
  path: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when there is none. */
  body: unknown;
  /** Whether Apideck would have accepted it (auth, headers and `Session` schema), faults aside. */
  valid: boolean;
  /** The fault played for this request, if any. */
  fault?: SimulatorFault;
  /** When it arrived, from the simulator's clock. */
  receivedAt: number;
};

/** A running Apideck `POST /vault/sessions` stand-in, with a stand-in Hosted Vault. */
export type ApideckSimulator = {
  /** Base URL to use instead of `https://unify.apideck.com`, without a trailing slash. */
  url: string;
  /**
   * Every API request received, oldest first; the same array for the simulator's lifetime. The
   * stand-in Hosted Vault's pages (`/session/...`, `/vaultjs/...`) are browser traffic, not recorded.
   */
  readonly requests: readonly SimulatorRequest[];
  /** Changes the accepted API key, as a key rotation in Apideck's dashboard would. */
  setApiKey(key: string): void;
  /** Queues faults, played one per incoming request, first in first out, before any rate fault. */
  inject(...faults: SimulatorFault[]): void;
  /** Plays `fault` on a random share `rate` (0 to 1) of requests that have no queued fault. */
  setFaultRate(rate: number, fault: SimulatorFault): void;
  /** Verifies a session token issued by this simulator and returns its claims. */
  verifySessionToken(token: string): Promise<SessionClaims>;
  /** Forgets requests, queued and rate faults, and restores the initial API key. */
  reset(): void;
  /** Closes the server, ending hung answers and keep-alive sockets. */
  close(): Promise<void>;
};

/**
 * Starts a loopback simulator of Apideck's Vault `POST /vault/sessions`, validated against vault.yml,
 * and of Hosted Vault: `GET /session/<token>` shows what a session holds, `GET /vaultjs/` is the
 * page `@apideck/vault-js` opens in its modal (infra/local/hosted-vault/).
 */
export async function startApideckSimulator(options: ApideckSimulatorOptions): Promise<ApideckSimulator> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const issuer = createSessionTokenIssuer(now);
  const requests: SimulatorRequest[] = [];
  const queue: SimulatorFault[] = [];
  let apiKey = options.apiKey;
  let rateFault: { rate: number; fault: SimulatorFault } | undefined;

  const nextFault = (): SimulatorFault | undefined => {
    const queued = queue.shift();
    if (queued !== undefined) return queued;
    return rateFault !== undefined && random() < rateFault.rate ? rateFault.fault : undefined;
  };

  let hostedVaultUrl = options.hostedVaultUrl ?? "";

  const server = await startLoopbackServer(async (req, res, signal) => {
    const receivedAt = now();
    const rawBody = await readBody(req);
    const path = req.url ?? "/";
    const headers = flattenHeaders(req);
    const method = req.method ?? "GET";
    const bare = path.split("?")[0] ?? path;
    // Browser pages first: no faults, no record (faults and records are about the API).
    const page = await answerHostedVault({ method, path: bare, headers }, issuer, now);
    if (page !== undefined) return writeAnswer(res, page);
    const fault = nextFault();
    const outcome = await answerSessionsRoute(
      { method, path: bare, headers, rawBody },
      { apiKey, appId: options.appId, issuer, hostedVaultUrl },
    );
    requests.push({
      method,
      path,
      headers,
      body: outcome.body,
      valid: outcome.valid,
      receivedAt,
      ...(fault && { fault }),
    });
    await playAnswer(res, outcome.answer, fault, signal);
  }, options.port);
  hostedVaultUrl ||= server.url;

  return {
    url: server.url,
    requests,
    setApiKey(key) {
      apiKey = key;
    },
    inject(...faults) {
      queue.push(...faults);
    },
    setFaultRate(rate, fault) {
      if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate must be between 0 and 1, got ${rate}`);
      rateFault = rate === 0 ? undefined : { rate, fault };
    },
    verifySessionToken: (token) => issuer.verify(token),
    reset() {
      requests.length = 0;
      queue.length = 0;
      rateFault = undefined;
      apiKey = options.apiKey;
    },
    close: () => server.close(),
  };
}
