import { join } from "node:path";
import { BENCH_SECRET_NAME, type Stubs } from "./stubs.ts";

/** How every child process starts: its whole environment and its Node flags. */
export interface ChildSetup {
  readonly env: Record<string, string>;
  readonly nodeFlags: readonly string[];
}

/** The stack's default `memorySize`; BENCH_MEMORY_MB changes it. */
export const DEFAULT_MEMORY_MB = 256;

/**
 * The Node flags Lambda's Node.js bootstrap (/var/runtime/bootstrap) passes for a function of
 * `memoryMb`: a tenth of the memory for the young generation, the rest for the old one, and
 * `--expose-gc`. Without them V8 sizes its heap from this machine's RAM, not from the function's.
 * See https://github.com/aws/aws-lambda-base-images (nodejs branches, bootstrap); newer images may
 * split the young generation differently, which barely moves RSS.
 */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    "--expose-gc",
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/**
 * A child's entire environment: what the stack sets on the function (lambda/config.ts's variables,
 * Powertools' at INFO so our request log line is paid for, as in production) and what Lambda
 * provides (region, credentials), with the SDK pointed at the stub. The shared AWS config files
 * point at nothing, so a developer's ~/.aws cannot change the figures; Lambda has none either.
 */
export function childEnvironment(
  stubs: Stubs,
  event: unknown,
  options: { secretTtlSeconds: number; memoryMb: number; scratchDir: string },
): Record<string, string> {
  return {
    APIDECK_APP_ID: stubs.appId,
    APIDECK_SECRET_ID: BENCH_SECRET_NAME,
    APIDECK_BASE_URL: stubs.apideck.url,
    SECRET_CACHE_TTL_SECONDS: String(options.secretTtlSeconds),
    UPSTREAM_TIMEOUT_MS: "5000",
    CONSUMER_ID_CLAIM: "sub",
    POWERTOOLS_SERVICE_NAME: "vault-session-broker",
    POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "INFO",
    AWS_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_ACCESS_KEY_ID: stubs.secrets.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stubs.secrets.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stubs.secrets.url,
    AWS_CONFIG_FILE: join(options.scratchDir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(options.scratchDir, "no-aws-credentials"),
    BENCH_EVENT: JSON.stringify(event),
    // For the warm child's raw fetch, which must send what the handler sends.
    BENCH_API_KEY: stubs.apiKey,
  };
}
