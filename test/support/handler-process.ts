import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

/** What one invocation gave the stand-in runtime: the result, or the error it would report. */
export type InvocationOutcome =
  | { readonly result: unknown }
  | { readonly error: { readonly name: string; readonly constructorName: string; readonly message: string } };

/** What a `runHandlerProcess` child printed and reported. */
export interface HandlerRun {
  /** Everything written to stdout: the function's log lines and the stand-in runtime's. */
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  /** Outcomes, in order, when the module loaded. */
  readonly outcomes: readonly InvocationOutcome[];
  /** The body the runtime would POST to /runtime/init/error, when the module failed to load. */
  readonly initError?: {
    readonly errorType: string;
    readonly errorMessage: string;
    readonly trace: string[];
  };
  /** stdout's JSON lines, parsed. */
  readonly lines: () => Record<string, unknown>[];
}

/** Options of `runHandlerProcess`. */
export interface HandlerProcessOptions {
  /** The whole environment of the child (nothing is inherited but PATH). */
  readonly env: Record<string, string>;
  readonly invocations?: readonly { readonly event: unknown; readonly remainingMs?: number }[];
  /** Module exporting `handler`. @default lambda/handler.ts (the source; Node 24 strips the types) */
  readonly entry?: string;
}

const HANDLER_SOURCE = fileURLToPath(new URL("../../lambda/handler.ts", import.meta.url));

// A stand-in for the Node.js Lambda runtime interface client (aws-lambda-nodejs-runtime-interface-client,
// src/index.mjs, LogPatch.js, Errors.js), for the two things tests look at: an error thrown while
// the module loads is printed once by the runtime (in the JSON log format: `errorType` is the
// error's constructor name, then `errorMessage`, `stackTrace` and the error's own enumerable
// properties) and posted to /runtime/init/error as { errorType: name, errorMessage, trace }; an
// invocation's error is reported by its `name`. Results go to fd 3, so stdout holds only what the
// function and the runtime print.
const STAND_IN = `
import { writeSync } from "node:fs";
const report = (value) => writeSync(3, JSON.stringify(value) + "\\n");
const [entry, invocationsJson] = process.argv.slice(1);
let handler;
try {
  ({ handler } = await import(entry));
} catch (error) {
  const message = Object.assign({ errorType: error?.constructor?.name ?? "UnknownError", errorMessage: error.message,
    stackTrace: typeof error.stack === "string" ? error.stack.split("\\n") : error.stack }, error);
  process.stdout.write(JSON.stringify({ timestamp: new Date().toISOString(), level: "ERROR", message }) + "\\n");
  report({ initError: { errorType: error.name, errorMessage: error.message, trace: error.stack.split("\\n") } });
  process.exit(129);
}
const outcomes = [];
for (const { event, remainingMs = 10000 } of JSON.parse(invocationsJson)) {
  const deadline = Date.now() + remainingMs;
  const context = { awsRequestId: "req-" + outcomes.length, functionName: "vault-session-broker",
    getRemainingTimeInMillis: () => deadline - Date.now() };
  try {
    outcomes.push({ result: await handler(event, context) });
  } catch (error) {
    outcomes.push({ error: { name: error.name, constructorName: error.constructor.name, message: error.message } });
  }
}
report({ outcomes });
`;

/**
 * Runs the function in a fresh Node.js process, as Lambda would: the module loads with `env` as its
 * whole environment (cold start), then each invocation runs in turn. Asynchronous, so loopback
 * stand-ins served by the calling test process keep answering.
 */
export function runHandlerProcess({ env, invocations = [], entry = HANDLER_SOURCE }: HandlerProcessOptions) {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", STAND_IN, pathToFileURL(entry).href, JSON.stringify(invocations)],
    { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe", "pipe"] },
  );
  const collect = (stream: NodeJS.ReadableStream | null) => {
    const chunks: Buffer[] = [];
    stream?.on("data", (chunk: Buffer) => chunks.push(chunk));
    return () => Buffer.concat(chunks).toString("utf8");
  };
  const [stdout, stderr, results] = [
    collect(child.stdout),
    collect(child.stderr),
    collect(child.stdio[3] as NodeJS.ReadableStream),
  ];
  return new Promise<HandlerRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => {
      const reported = Object.assign(
        {},
        ...results()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      );
      const out = stdout();
      resolve({
        stdout: out,
        stderr: stderr(),
        exitCode,
        outcomes: reported.outcomes ?? [],
        initError: reported.initError,
        lines: () =>
          out
            .split("\n")
            .filter((line) => line.startsWith("{"))
            .map((line) => JSON.parse(line) as Record<string, unknown>),
      });
    });
  });
}
