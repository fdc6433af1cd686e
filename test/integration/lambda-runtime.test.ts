import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApideckSimulator, startApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from "../../infra/local/secrets-manager-endpoint.ts";
import { API_KEY, APP_ID, SECRET_NAME } from "../support/broker-harness.ts";
import { ERROR_SCENARIOS, type ErrorScenario, readmeErrorTypeNames } from "../support/error-scenarios.ts";
import { handlerBundle } from "../support/handler-bundle.ts";
import { type LambdaRuntimeApi, startLambdaRuntimeApi } from "../support/lambda-runtime-api.ts";
import { findLeaks } from "../support/log-capture.ts";

// Direct invocation as Lambda runs it: the deployment bundle in its own Node 24 process, driven
// through the Runtime API by a runtime client: test/support/runtime-loop.ts, which speaks
// aws-lambda-ric's protocol, or aws-lambda-ric itself when AWS_LAMBDA_RIC names its index.mjs.
// What the test reads is what Lambda's Invoke API, and so Step Functions, gets: `errorType` (what
// `Catch` matches) and `errorMessage` in the error payload.

const RUNTIME_CLIENT =
  process.env.AWS_LAMBDA_RIC ?? fileURLToPath(new URL("../support/runtime-loop.ts", import.meta.url));
const DIRECT_NAMES = readmeErrorTypeNames().filter((name) => ERROR_SCENARIOS[name]?.direct !== undefined);

interface RunningFunction {
  readonly runtime: LambdaRuntimeApi;
  /** `runtime.invoke`, failing with the process's output if it dies instead of answering. */
  readonly invoke: LambdaRuntimeApi["invoke"];
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

describe("Integration: the bundle under the Lambda Runtime API", () => {
  let simulator: ApideckSimulator;
  let secretsManager: SecretsManagerEndpoint;
  const running: RunningFunction[] = [];

  beforeAll(async () => {
    simulator = await startApideckSimulator({ apiKey: API_KEY, appId: APP_ID });
    secretsManager = await startSecretsManagerEndpoint({
      secrets: { [SECRET_NAME]: JSON.stringify({ apiKey: API_KEY }) },
    });
  });

  afterEach(async () => {
    for (const fn of running.splice(0)) {
      if (fn.child.exitCode === null) fn.child.kill("SIGTERM");
      await fn.exited;
      await fn.runtime.close();
      expect(
        findLeaks(fn.output(), [API_KEY, secretsManager.credentials.secretAccessKey, "Bearer "]),
      ).toEqual([]);
    }
    simulator.reset();
    secretsManager.reset();
  });

  afterAll(async () => {
    await Promise.all([simulator.close(), secretsManager.close()]);
  });

  /** Starts the bundle in a runtime process with the function's environment plus `env`. */
  async function startFunction(env: Record<string, string | undefined> = {}): Promise<RunningFunction> {
    const runtime = await startLambdaRuntimeApi();
    const functionEnv: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      AWS_LAMBDA_RUNTIME_API: runtime.address,
      LAMBDA_TASK_ROOT: handlerBundle().dir,
      _HANDLER: "index.handler",
      AWS_LAMBDA_FUNCTION_NAME: "vault-session-broker",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/vault-session-broker",
      AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]local",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: secretsManager.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretsManager.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_CONFIG_FILE: "/nonexistent/aws-config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
      APIDECK_APP_ID: APP_ID,
      APIDECK_SECRET_ID: SECRET_NAME,
      APIDECK_BASE_URL: simulator.url,
      POWERTOOLS_SERVICE_NAME: "vault-session-broker",
      ...env,
    };
    const child = spawn(process.execPath, [RUNTIME_CLIENT, "index.handler"], {
      cwd: handlerBundle().dir,
      env: Object.fromEntries(Object.entries(functionEnv).filter(([, value]) => value !== undefined)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const died = exited.then((code) => {
      throw new Error(`the runtime process exited (${code}) without answering:\n${output}`);
    });
    died.catch(() => {}); // only an invocation in flight cares
    const invoke: LambdaRuntimeApi["invoke"] = (event, timeoutMs) =>
      Promise.race([runtime.invoke(event, timeoutMs), died]);
    const fn = { runtime, invoke, child, output: () => output, exited };
    running.push(fn);
    return fn;
  }

  it("serves one invocation after another in one instance, with the deadline from its header", async () => {
    const { runtime, invoke, output } = await startFunction();

    const first = await invoke({
      consumer_id: "account:1",
      session: { redirect_uri: "https://example.com/done" },
    });
    const second = await invoke({ consumer_id: "account:2" }, 8_000);

    for (const outcome of [first, second]) {
      expect(outcome).toMatchObject({
        ok: true,
        payload: {
          session_uri: expect.stringMatching(new RegExp(`^${simulator.url}/session/`)),
          expires_at: expect.any(String),
        },
      });
    }
    expect(secretsManager.getSecretValueCalls).toBe(1);
    expect(runtime.delivered).toHaveLength(2);
    expect(runtime.delivered[1]).toMatchObject({
      "lambda-runtime-aws-request-id": expect.any(String),
      "lambda-runtime-invoked-function-arn": expect.stringMatching(/^arn:aws:lambda:/),
    });
    const lines = output()
      .split("\n")
      .filter((line) => line.includes('"route":"invoke"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.function_request_id)).toEqual(
      runtime.delivered.map((headers) => headers["lambda-runtime-aws-request-id"]),
    );
    // Without AWS_LAMBDA_INITIALIZATION_TYPE, INIT reads no secret: the first invocation does.
    expect(lines.map((line) => line.secret_read)).toEqual(["fetch", "cache"]);
  });

  it("reads the key during INIT where Lambda runs it, so the first invocation's line says cache", async () => {
    const { invoke, output } = await startFunction({ AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand" });

    const outcome = await invoke({ consumer_id: "account:1" });

    expect(outcome.ok).toBe(true);
    expect(secretsManager.getSecretValueCalls).toBe(1);
    const lines = output()
      .split("\n")
      .filter((line) => line.includes('"route":"invoke"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ outcome: "ok", secret_read: "cache" })]);
  });

  it("takes the request's budget from Lambda-Runtime-Deadline-Ms", async () => {
    // Each attempt may take 20 s: only the 1 s deadline the header carries can end the call.
    const { invoke } = await startFunction({ UPSTREAM_TIMEOUT_MS: "20000" });
    simulator.setFaultRate(1, { kind: "hang", ms: 15_000 });

    const outcome = await invoke({ consumer_id: "account:1" }, 1_000);

    expect(outcome).toMatchObject({ ok: false, payload: { errorType: "UpstreamTimeoutError" } });
  });

  it.each(DIRECT_NAMES)("reports %s as the error payload's errorType", async (name) => {
    const scenario = ERROR_SCENARIOS[name] as ErrorScenario;
    const { invoke } = await startFunction(scenario.env);
    scenario.arrange?.({ simulator, secretsManager });

    const outcome = await invoke(scenario.direct, scenario.remainingMs ?? 3_000);

    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.payload.errorType).toBe(name);
    expect(outcome.payload.errorMessage).toMatch(/\w/);
    // The stack is stripped: the invoker's `Cause` shows the message, not the function's code.
    expect(outcome.payload.trace).toEqual([`${name}: ${outcome.payload.errorMessage}`]);
  });

  it("reports an invalid environment to /runtime/init/error as InvalidEnvironmentError and exits", async () => {
    const { runtime, exited } = await startFunction({ APIDECK_APP_ID: undefined, UPSTREAM_TIMEOUT_MS: "5" });

    const { body, errorTypeHeader } = await runtime.initError;

    expect(body.errorType).toBe("InvalidEnvironmentError");
    expect(errorTypeHeader).toBe("InvalidEnvironmentError");
    expect(body.errorMessage).toContain("APIDECK_APP_ID");
    expect(body.errorMessage).toContain("UPSTREAM_TIMEOUT_MS");
    expect(await exited).toBe(1);
  });
});
