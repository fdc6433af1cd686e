import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useNpmStart } from "../support/npm-start-process.ts";

// `npm start` as a new user runs it: its own process, then the curl line it prints, pasted into a
// shell. The signed line must return a session; the same line without --aws-sigv4 must get 403.

const run = promisify(execFile);
const { start } = useNpmStart();

const curlLine = (printed: string, route: string) =>
  printed
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line.startsWith("curl ") && line.includes(route)) ?? "";

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
