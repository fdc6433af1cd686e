import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKeysCli } from "../../../infra/keys/keys-cli.ts";
import type { GatewayRequest } from "../../../infra/local/gateway-routes.ts";
import { type LocalBrokerKeys, startLocalBrokerKeys } from "../../../infra/local/local-broker-keys.ts";

// The operator tool against local mode's key table and pepper, through the real SDK clients, and
// the keys it prints checked by the real authorizer.
describe("Infra: keys CLI", () => {
  let keys: LocalBrokerKeys;
  let secretsManager: SecretsManagerClient;
  const printed: string[] = [];

  beforeAll(async () => {
    keys = await startLocalBrokerKeys({ region: "us-east-1", ttlSeconds: 0 });
    const env = keys.environment;
    secretsManager = new SecretsManagerClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      credentials: keys.secretsManager.credentials,
    });
  });

  afterAll(async () => {
    secretsManager.destroy();
    await keys.close();
  });

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const dynamodb = keys.dynamo.client();
    try {
      const code = await runKeysCli(
        [
          ...argv,
          "--table",
          keys.dynamo.tableName,
          "--pepper-secret-id",
          keys.environment.BROKER_KEYS_PEPPER_SECRET_ID,
        ],
        {},
        { out: (text) => out.push(text), err: (text) => err.push(text) },
        { dynamodb, secretsManager },
      );
      printed.push(...out, ...err);
      return { code, stdout: out.join(""), stderr: err.join("") };
    } finally {
      dynamodb.destroy();
    }
  };

  const authorize = (key: string) =>
    keys.route.authorize({
      method: "POST",
      url: "/sdk/vault/sessions",
      headers: { authorization: `Bearer ${key}`, "x-apideck-consumer-id": "tenant-a:1" },
      rawHeaders: [],
      body: Buffer.alloc(0),
      sourceIp: "127.0.0.1",
    } satisfies GatewayRequest);

  it("creates a key, prints it alone on stdout, and the authorizer accepts it with its limits", async () => {
    const result = await run(
      "create",
      "--name",
      "acme-ci",
      "--scope",
      "tenant-a:*",
      "--apis",
      "crm,hris",
      "--max-session-length",
      "30m",
      "--expires-in",
      "30d",
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vsb_[a-z2-7]{12}_[0-9A-Za-z]{44}\n$/);
    const key = result.stdout.trim();
    expect(result.stderr).toContain(`Created broker key ${key.slice(4, 16)}`);
    expect(result.stderr).not.toContain(key.slice(17));
    expect(await authorize(key)).toMatchObject({
      authorizer: {
        lambda: {
          keyName: "acme-ci",
          consumerScope: "tenant-a:*",
          allowedUnifiedApis: "crm,hris",
          maxSessionLength: "30m",
        },
      },
    });
  });

  it.each([
    [["create", "--scope", "*"], 2, "--name is required"],
    [["create", "--name", "x"], 2, "--scope is required"],
    [["create", "--name", "x", "--scope", "tenant-(a|b)"], 1, "looks like a regular expression"],
    [["create", "--name", "x", "--scope", "*", "--apis", "crm,payments"], 1, "unknown: payments"],
    [["create", "--name", "x", "--scope", "*", "--max-session-length", "8d"], 1, "at most 7d"],
    [["create", "--name", "x", "--scope", "*", "--expires-at", "2001-01-01T00:00:00Z"], 1, "in the future"],
    [["create", "--name", "x", "--scope", "*", "--expires-in", "soon"], 2, "--expires-in must be a duration"],
    [["create", "--name", "x", "--scope", "*", "--colour", "red"], 2, "Unknown option '--colour'"],
    [["revoke"], 2, "revoke needs a key id"],
    [["revoke", "zzzzzzzzzzzz"], 1, "No broker key with id zzzzzzzzzzzz"],
    [["frobnicate"], 2, "unknown command frobnicate"],
  ])("refuses %j with exit code %i", async (argv, code, message) => {
    const result = await run(...argv);

    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
  });

  it("lists keys with their status, never a hash or a key", async () => {
    const created = (await run("create", "--name", "to-list", "--scope", "demo")).stdout.trim();
    const { record } = await keys.table.get(created.slice(4, 16)).then((r) => ({ record: r }));

    const table = await run("list");
    const json = await run("list", "--json");

    expect(table.stdout).toMatch(new RegExp(`${record.id}\\s+to-list\\s+active\\s+demo`));
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(listed.find((k) => k.id === record.id)).toMatchObject({ name: "to-list", status: "active" });
    expect(json.stdout).not.toContain(record.hash);
    expect(table.stdout + json.stdout).not.toContain(created);
  });

  it("revokes a key: the authorizer refuses it from then on", async () => {
    const key = (await run("create", "--name", "to-revoke", "--scope", "*")).stdout.trim();
    expect(await authorize(key)).toHaveProperty("authorizer");

    const result = await run("revoke", key.slice(4, 16));

    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr).toContain("stops working within 60 s");
    expect(await authorize(key)).toMatchObject({ refused: { status: 403 } });
    expect((await run("list")).stdout).toMatch(new RegExp(`${key.slice(4, 16)}\\s+to-revoke\\s+revoked`));
  });

  it("rotates a key: same name, scope and limits; the old one ends after the grace period", async () => {
    const old = (
      await run("create", "--name", "svc", "--scope", "tenant-a:*", "--apis", "crm", "--expires-in", "10d")
    ).stdout.trim();

    const result = await run("rotate", old.slice(4, 16), "--grace", "2h");

    const replacement = result.stdout.trim();
    expect(result.code).toBe(0);
    expect(replacement).not.toBe(old);
    const [oldRecord, newRecord] = await Promise.all([
      keys.table.get(old.slice(4, 16)),
      keys.table.get(replacement.slice(4, 16)),
    ]);
    expect(newRecord).toMatchObject({
      name: "svc",
      consumer_scope: ["tenant-a:*"],
      allowed_unified_apis: ["crm"],
    });
    const lifetime = Date.parse(newRecord.expires_at ?? "") - Date.parse(newRecord.created_at);
    expect(lifetime).toBeGreaterThan(10 * 86_400_000 - 60_000);
    expect(Date.parse(oldRecord.expires_at ?? "") - Date.now()).toBeLessThanOrEqual(2 * 3600_000);
    expect(await authorize(old)).toHaveProperty("authorizer");
    expect(await authorize(replacement)).toHaveProperty("authorizer");
  });

  it("rotates with --grace 0 by revoking the old key at once", async () => {
    const old = (await run("create", "--name", "svc2", "--scope", "*")).stdout.trim();

    const result = await run("rotate", old, "--grace", "0");

    expect(result.code).toBe(0);
    expect(await authorize(old)).toMatchObject({ refused: { status: 403 } });
    expect(await authorize(result.stdout.trim())).toHaveProperty("authorizer");
  });

  it("runs as `npm run keys` does, reaching local mode through --endpoint and the SDK's environment", async () => {
    const env = keys.environment;
    // Not spawnSync: the local stores run in this process and must keep answering.
    const child = await promisify(execFile)(
      process.execPath,
      [
        "infra/keys/cli.ts",
        "list",
        "--json",
        "--table",
        env.BROKER_KEYS_TABLE_NAME,
        "--endpoint",
        env.AWS_ENDPOINT_URL_DYNAMODB,
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: env.AWS_REGION,
          AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
        encoding: "utf8",
        timeout: 15_000,
      },
    );

    expect((JSON.parse(child.stdout) as { name: string }[]).map((k) => k.name)).toContain("local");
  });

  it("never printed a secret except on create's and rotate's stdout", () => {
    const stderrAndTables = printed.filter((text) => !/^vsb_\w+\n$/.test(text)).join("");

    expect(stderrAndTables).not.toMatch(/vsb_[a-z2-7]{12}_[0-9A-Za-z]{44}/);
  });
});
