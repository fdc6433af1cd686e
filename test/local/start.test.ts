import { type ChildProcess, spawn } from "node:child_process";
import { type AddressInfo, createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { INVALID_PORT_MESSAGE, parsePort } from "../../infra/local/start-checks.ts";

const START = fileURLToPath(new URL("../../infra/local/start.ts", import.meta.url));

/** Output of one `node infra/local/start.ts`, as the user sees it. */
interface StartRun {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code, or when stdout says the service is running (then `undefined`). */
  readonly settled: Promise<number | null | undefined>;
}

const running: ChildProcess[] = [];

/** Spawns `npm start`'s script with `env` (and PATH) as its whole environment. */
function start(env: Record<string, string>): StartRun {
  const child = spawn(process.execPath, [START], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let stdout = "";
  let stderr = "";
  const settled = new Promise<number | null | undefined>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("is running at")) resolve(undefined);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("exit", (code) => resolve(code));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, settled };
}

describe("Local runner: npm start", () => {
  let busy: Server | undefined;

  afterEach(async () => {
    for (const child of running.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    }
    await new Promise((resolve) => (busy ? busy.close(resolve) : resolve(undefined)));
    busy = undefined;
  });

  // The other shapes are parsePort's unit cases below.
  it.each(["abc", "", "70000"])("refuses PORT=%j in one line, with exit code 1", async (value) => {
    const run = start({ PORT: value });

    expect(await run.settled).toBe(1);
    expect(run.stderr()).toBe(`${INVALID_PORT_MESSAGE}\n`);
    expect(run.stdout()).toBe("");
  });

  it("refuses DEMO_PORT=abc in one line, with exit code 1", async () => {
    const run = start({ PORT: "0", DEMO_PORT: "abc" });

    expect(await run.settled).toBe(1);
    expect(run.stderr()).toBe("DEMO_PORT must be a whole number 0-65535 (0 = any free port)\n");
  });

  it("refuses a port in use in one line that says how to fix it", async () => {
    const server = createServer();
    busy = server;
    const port = await new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
    );

    // DEMO_PORT=0: the demo's default (PORT+1) is an ephemeral port that another test file's
    // server may hold at that moment, which would make the demo, not the gateway, report it.
    const run = start({ PORT: String(port), DEMO_PORT: "0" });

    expect(await run.settled).toBe(1);
    expect(run.stderr()).toBe(`port ${port} is in use: stop the other process or set PORT=${port + 1}\n`);
  });

  it("starts on any free port with PORT=0, printing no warning", async () => {
    const run = start({ PORT: "0" });

    expect(await run.settled).toBeUndefined();
    expect(run.stdout()).toMatch(/is running at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout()).toContain("Apideck:         simulator at http://127.0.0.1:");
    expect(run.stderr()).toBe("");
  });

  it("warns when APIDECK_BASE_URL is set without APIDECK_API_KEY, and labels nothing (real)", async () => {
    const run = start({ PORT: "0", APIDECK_BASE_URL: "http://127.0.0.1:9" });

    expect(await run.settled).toBeUndefined();
    expect(run.stderr()).toMatch(/^warning: APIDECK_BASE_URL is set without APIDECK_API_KEY: .+\n$/);
    expect(run.stdout()).toContain("Apideck:         http://127.0.0.1:9 (APIDECK_BASE_URL)");
    expect(run.stdout()).not.toContain("(real)");
  });

  it("does not warn when APIDECK_API_KEY goes with APIDECK_BASE_URL", async () => {
    const run = start({
      PORT: "0",
      APIDECK_BASE_URL: "http://127.0.0.1:9",
      APIDECK_API_KEY: "sk_test_0123456789",
    });

    expect(await run.settled).toBeUndefined();
    expect(run.stderr()).toBe("");
  });

  it("names an invalid variable in one line, with exit code 1", async () => {
    const run = start({ PORT: "0", UPSTREAM_TIMEOUT_MS: "50" });

    expect(await run.settled).toBe(1);
    expect(run.stderr()).toBe(
      "Invalid configuration, the function cannot start: UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 29000.\n",
    );
  });
});

describe("Unit: parsePort", () => {
  it.each([
    [undefined, 3000],
    ["0", 0],
    ["3001", 3001],
    ["65535", 65535],
    ["65536", undefined],
    ["", undefined],
    ["abc", undefined],
    ["-1", undefined],
    ["3000.5", undefined],
    [" 3000", undefined],
    ["0x10", undefined],
    ["1e3", undefined],
  ])("reads PORT=%j as %j", (value, port) => {
    expect(parsePort(value)).toBe(port);
  });
});
