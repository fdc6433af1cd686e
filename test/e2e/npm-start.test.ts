import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

// `npm start` as a new user runs it: its own process, then the curl line it prints, pasted into a
// shell. The signed line must return a session; the same line without --aws-sigv4 must get 403.

const run = promisify(execFile);
const START = fileURLToPath(new URL("../../infra/local/start.ts", import.meta.url));
const children: ChildProcess[] = [];

/** Starts `npm start`'s script on a free port and resolves with everything it printed once it is ready. */
function start(env: Record<string, string> = {}): Promise<string> {
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
}

const curlLine = (printed: string, route: string) =>
  printed
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line.startsWith("curl ") && line.includes(route)) ?? "";

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
});

describe("E2E: npm start", () => {
  it("prints development credentials and a curl --aws-sigv4 line that returns a session", async () => {
    const printed = await start();
    const line = curlLine(printed, "/vault/sessions");

    expect(line).toMatch(/--aws-sigv4 "aws:amz:us-east-1:execute-api" --user "LOCAL[A-Z2-7]{15}:[\w-]{40}"/);
    expect(printed).toContain(`access key id:     ${/--user "(\w+):/.exec(line)?.[1]}`);
    const { stdout } = await run("sh", ["-c", line]);
    expect(JSON.parse(stdout)).toMatchObject({ status_code: 200, data: { session_uri: expect.any(String) } });
  });

  it("answers the same line without --aws-sigv4 with 403", async () => {
    const printed = await start();
    const unsigned = curlLine(printed, "/vault/sessions").replace(/ --aws-sigv4 "[^"]+" --user "[^"]+"/, "");

    const { stdout } = await run("sh", ["-c", `${unsigned} -w '\\n%{http_code}'`]);

    expect(unsigned).not.toContain("--user");
    expect(stdout.split("\n")).toEqual(['{"message":"Forbidden"}', "403"]);
  });

  it("takes LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY, AWS_REGION and CORS_ORIGINS", async () => {
    const printed = await start({
      LOCAL_ACCESS_KEY_ID: "MYLOCALKEY0000000001",
      LOCAL_SECRET_ACCESS_KEY: "my-local-secret-0123456789",
      AWS_REGION: "eu-west-1",
      CORS_ORIGINS: "http://localhost:5173",
    });
    const line = curlLine(printed, "/vault/sessions");

    expect(line).toContain(
      '--aws-sigv4 "aws:amz:eu-west-1:execute-api" --user "MYLOCALKEY0000000001:my-local-secret-0123456789"',
    );
    expect(printed).toContain("CORS origins:    http://localhost:5173");
    const { stdout } = await run("sh", ["-c", line]);
    expect(JSON.parse(stdout)).toMatchObject({ status_code: 200 });
  });

  it.each([
    [{ CORS_ORIGINS: "*" }, /CORS_ORIGINS must be origins like/],
    [
      { LOCAL_ACCESS_KEY_ID: "MYLOCALKEY0000000001" },
      /LOCAL_ACCESS_KEY_ID and LOCAL_SECRET_ACCESS_KEY must be set together/,
    ],
  ])("refuses to start with %j, naming the variable", async (env, message) => {
    await expect(start(env)).rejects.toThrow(message);
  });
});
