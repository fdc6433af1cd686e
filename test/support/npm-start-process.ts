import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

const START = fileURLToPath(new URL("../../infra/local/start.ts", import.meta.url));

/**
 * `npm start`'s script in its own process, as a new user runs it, for the e2e suites: `start()`
 * launches it on a free port (without any Apideck or Secrets Manager setting of the developer's
 * shell) and resolves with everything it printed once it is ready, or rejects with its stderr if it
 * exits first. Every process still running is stopped after each test.
 */
export function useNpmStart(): { start(env?: Record<string, string>): Promise<string> } {
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      // Already gone (exited, or killed by a signal): its exit event has passed.
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  const start = (env: Record<string, string> = {}): Promise<string> => {
    const {
      APIDECK_BASE_URL,
      APIDECK_SECRET_ID,
      APIDECK_APP_ID,
      AWS_ENDPOINT_URL_SECRETS_MANAGER,
      ...inherited
    } = process.env;
    const child = spawn(process.execPath, [START], {
      env: { ...inherited, PORT: "0", POWERTOOLS_LOG_LEVEL: "WARN", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("Ctrl-C stops it.")) resolve(out);
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        err += chunk.toString("utf8");
      });
      child.once("exit", (code) => reject(new Error(`npm start exited with ${code}: ${err}`)));
    });
  };
  return { start };
}
