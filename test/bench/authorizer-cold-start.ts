import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { authorizerEsbuildOptions } from "../../infra/bundling-options.ts";
import { startLocalBrokerKeys } from "../../infra/local/local-broker-keys.ts";
import { DEFAULT_MEMORY_MB, lambdaNodeFlags } from "./child-environment.ts";
import { runChild } from "./child-process.ts";
import { type Summary, summarize } from "./stats.ts";

// `node test/bench/authorizer-cold-start.ts`: cold starts of the broker-key authorizer bundle (the
// stack's esbuild options), each in a fresh Node 24 process with Lambda's heap flags, against the
// local key table and pepper on loopback. BENCH_AUTHORIZER_RUNS (default 10) processes after one
// unmeasured warm-up. Prints a JSON summary; milliseconds, medians with min and max.

const CHILD = fileURLToPath(new URL("./authorizer-cold-child.mjs", import.meta.url));
const runs = Number(process.env.BENCH_AUTHORIZER_RUNS ?? 10);

interface AuthorizerRun {
  importMs: number;
  importCpuMs: number;
  firstDecisionMs: number;
  secondDecisionMs: number;
  allowed: boolean;
  peakRssMb: number;
}

const scratch = mkdtempSync(join(tmpdir(), "authorizer-bench-"));
const bundle = join(scratch, "index.mjs");
await build({ ...authorizerEsbuildOptions(bundle), logLevel: "silent" });
const keys = await startLocalBrokerKeys({ region: "us-east-1" });
const env = {
  ...keys.environment,
  AWS_CONFIG_FILE: join(scratch, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(scratch, "no-aws-credentials"),
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(DEFAULT_MEMORY_MB),
  BENCH_AUTHORIZER_EVENT: JSON.stringify({
    version: "2.0",
    type: "REQUEST",
    routeKey: "POST /sdk/vault/sessions",
    identitySource: [`Bearer ${keys.key.text}`],
    headers: { authorization: `Bearer ${keys.key.text}`, "x-apideck-consumer-id": "bench" },
    requestContext: { requestId: "bench" },
  }),
};

try {
  const measured: AuthorizerRun[] = [];
  for (let round = -1; round < runs; round++) {
    const { report } = await runChild<AuthorizerRun>(CHILD, [pathToFileURL(bundle).href], {
      env,
      nodeFlags: lambdaNodeFlags(DEFAULT_MEMORY_MB),
    });
    if (!report.allowed) throw new Error("the authorizer refused the bench key");
    if (round >= 0) measured.push(report);
  }
  const show = (s: Summary) => ({ median: round(s.median), min: round(s.min), max: round(s.max) });
  const field = (name: keyof Omit<AuthorizerRun, "allowed">) => show(summarize(measured.map((r) => r[name])));
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        runs,
        bundleKb: round(statSync(bundle).size / 1024),
        importMs: field("importMs"),
        importCpuMs: field("importCpuMs"),
        firstDecisionMs: field("firstDecisionMs"),
        secondDecisionMs: field("secondDecisionMs"),
        peakRssMb: field("peakRssMb"),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await keys.close();
  rmSync(scratch, { recursive: true, force: true });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
