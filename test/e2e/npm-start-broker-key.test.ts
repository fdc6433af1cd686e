import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useNpmStart } from "../support/npm-start-process.ts";

// `npm start` in its own process, as a new user runs it: the broker key and the SDK line it prints
// work as printed, the key's scope comes from LOCAL_BROKER_KEY_SCOPE, and the printed
// `npm run keys` line reaches the run's key table.

const { start } = useNpmStart();

const line = (printed: string, start: string) =>
  printed
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith(start)) ?? "";

describe("E2E: npm start's broker key", () => {
  it("prints a key scoped by LOCAL_BROKER_KEY_SCOPE, and the SDK line it prints opens sessions in scope only", async () => {
    const printed = await start({ LOCAL_BROKER_KEY_SCOPE: "tenant-a:*" });
    const key = line(printed, "vsb_");
    const sdkLine = line(printed, "new Apideck(");
    const serverURL = /serverURL: "([^"]+)"/.exec(sdkLine)?.[1] ?? "";
    const appId = /appId: "([^"]+)"/.exec(sdkLine)?.[1] ?? "";

    expect(key).toMatch(/^vsb_[a-z2-7]{12}_[0-9A-Za-z]{44}$/);
    expect(printed).toContain("consumer scope tenant-a:*");
    const { Apideck } = await import("@apideck/unify");
    const sdk = (consumerId: string) => new Apideck({ apiKey: key, appId, consumerId, serverURL });
    const ok = await sdk("tenant-a:1").vault.sessions.create({ session: {} });
    const refused = await sdk("tenant-b:1")
      .vault.sessions.create({ session: {} })
      .catch((e: { httpMeta?: { response: Response } }) => e.httpMeta?.response.status);

    expect(ok.createSessionResponse?.statusCode).toBe(200);
    expect(refused).toBe(403);
  });

  it("prints an npm run keys line that lists this run's keys", async () => {
    const printed = await start();
    const keysLine = line(printed, "AWS_ENDPOINT_URL_DYNAMODB=");
    const assignments = Object.fromEntries(
      [...keysLine.matchAll(/(AWS_[A-Z_]+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    const table = /--table (\S+)/.exec(keysLine)?.[1] ?? "";

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["infra/keys/cli.ts", "list", "--json", "--table", table],
      {
        env: {
          PATH: process.env.PATH,
          ...assignments,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      },
    );

    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ name: "local", consumer_scope: ["*"], status: "active" }),
    ]);
  });

  it("refuses a LOCAL_BROKER_KEY_SCOPE that is a regular expression in one line naming the variable", async () => {
    const failure = await start({ LOCAL_BROKER_KEY_SCOPE: "tenant-(a|b):.+" }).catch((e: Error) => e.message);

    expect(failure).toBe(
      'npm start exited with 1: LOCAL_BROKER_KEY_SCOPE glob "tenant-(a|b):.+" looks like a regular expression; scopes are globs: * matches any run of characters, everything else is literal\n',
    );
  });
});
