import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Context } from "aws-lambda";
import type { SecretsManagerEndpoint } from "../../infra/local/secrets-manager-endpoint.ts";
import { composeHandler, SECRETS_MANAGER_CLIENT_CONFIG } from "../../lambda/compose-handler.ts";
import { loadConfig } from "../../lambda/config.ts";
import { createJsonLogger } from "../../lambda/json-logger.ts";
import { loadBundleHandler } from "./handler-bundle.ts";

/**
 * What a harness runs: `bundle` is the deployment artifact (`index.mjs`, built with the stack's
 * options, configured through the environment at its cold start, as in Lambda); `source` is
 * `lambda/` composed in the test, which lets a test move the key cache's clock.
 */
export type HarnessTarget = "bundle" | "source";

/** The handler's clock: real time that a `source` test can move forward, for the key cache's TTL. */
export interface ManualClock {
  now: () => number;
  advance: (ms: number) => void;
}

/** A Lambda handler as the runtime calls it. */
export type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** The handler a harness drives, with its clock and what to undo afterwards. */
export interface HandlerUnderTest {
  readonly handler: Handler;
  readonly clock: ManualClock;
  dispose(): void;
}

let bundleInUse = false;

/**
 * Starts the function for `target` with the environment `env` (the function's variables), its
 * Secrets Manager reached at `secretsManager` with the credentials that endpoint accepts.
 */
export async function startHandler(
  target: HarnessTarget,
  env: Record<string, string>,
  secretsManager: SecretsManagerEndpoint,
): Promise<HandlerUnderTest> {
  return target === "bundle" ? bundleHandler(env, secretsManager) : sourceHandler(env, secretsManager);
}

function sourceHandler(
  env: Record<string, string>,
  secretsManager: SecretsManagerEndpoint,
): HandlerUnderTest {
  // Wall time plus what the test skipped: deadlines keep running in real time, while a test can
  // jump the key cache's TTL without waiting for it.
  let skipped = 0;
  const clock: ManualClock = {
    now: () => Date.now() + skipped,
    advance: (ms) => {
      skipped += ms;
    },
  };
  const client = new SecretsManagerClient({
    region: "us-east-1",
    endpoint: secretsManager.url,
    credentials: secretsManager.credentials,
    ...SECRETS_MANAGER_CLIENT_CONFIG,
  });
  const logger = createJsonLogger({ serviceName: "vault-session-broker", level: "INFO" });
  const handler = composeHandler(loadConfig(env), { logger, secretsManager: client, now: clock.now });
  return { handler: handler as unknown as Handler, clock, dispose: () => client.destroy() };
}

/**
 * A fresh instance of the bundle with `env` set the way Lambda sets it: the function's variables,
 * the role's credentials, the region; the SDK finds the endpoint through
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, and no developer profile or config file can interfere. The
 * environment stays until `dispose()`, because the SDK reads it at the first call, not at import;
 * so one bundle harness at a time per test file.
 */
async function bundleHandler(
  env: Record<string, string>,
  secretsManager: SecretsManagerEndpoint,
): Promise<HandlerUnderTest> {
  if (bundleInUse) throw new Error("one bundle harness at a time: its environment is the whole process's");
  const lambdaEnv: Record<string, string | undefined> = {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: secretsManager.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretsManager.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
    POWERTOOLS_SERVICE_NAME: "vault-session-broker",
    POWERTOOLS_LOG_LEVEL: "INFO",
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(lambdaEnv).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(lambdaEnv);
  let handler: Handler;
  // Taken before the import awaits, so a second harness cannot start meanwhile.
  bundleInUse = true;
  try {
    handler = await loadBundleHandler<Handler>();
  } catch (error) {
    apply(saved);
    bundleInUse = false;
    throw error;
  }
  const clock: ManualClock = {
    now: Date.now,
    advance: (ms) => {
      if (ms > 0)
        throw new Error(
          "clock.advance needs startBrokerHarness({ target: 'source' }): the bundle reads the real clock",
        );
    },
  };
  return {
    handler,
    clock,
    dispose: () => {
      apply(saved);
      bundleInUse = false;
    },
  };
}
