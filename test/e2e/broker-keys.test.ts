import { Apideck as ApideckNode } from "@apideck/node";
import { Apideck } from "@apideck/unify";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { LocalStack } from "../../infra/local/local-stack.ts";
import { loadBundleHandler } from "../support/handler-bundle.ts";
import { captureLogs, findLeaks, type LogCapture } from "../support/log-capture.ts";

// `npm start`'s server with broker keys, over HTTP: the official SDKs pointed at `<url>/sdk` with a
// broker key as their apiKey and nothing else changed; the local API Gateway runs the authorizer
// (cached per Authorization value, as deployed) in front of the function's deployment bundle.

const LOCAL_ENV = [
  "APIDECK_APP_ID",
  "APIDECK_BASE_URL",
  "APIDECK_SECRET_ID",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "LOCAL_BROKER_KEY_SCOPE",
];

describe("E2E: broker keys with the official SDKs", () => {
  let stack: LocalStack;
  let logs: LogCapture;
  const logged: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    for (const name of LOCAL_ENV) delete process.env[name];
    const { startLocalStack } = await import("../../infra/local/local-stack.ts");
    stack = await startLocalStack({ brokerKeyScope: "tenant-a:*", loadHandler: loadBundleHandler });
    secrets.push(stack.brokerKeys.key.text);
  });

  beforeEach(() => {
    logs = captureLogs();
  });

  afterEach(() => {
    logged.push(logs.text());
    logs.stop();
    vi.useRealTimers();
  });

  afterAll(async () => {
    await stack.close();
    const text = logged.join("");
    // Every use is logged with the key's id and name, never the key or its secret.
    expect(text).toContain('"key_name":"local"');
    expect(findLeaks(text, [...secrets, ...secrets.map((key) => key.slice(17)), "Bearer "])).toEqual([]);
  });

  /** A key issued like `npm run keys -- create` does, remembered for the log scan. */
  const issue = async (spec: Partial<Parameters<LocalStack["brokerKeys"]["issue"]>[0]> = {}) => {
    const issued = await stack.brokerKeys.issue({ name: "test", scope: ["tenant-a:*"], ...spec });
    secrets.push(issued.text);
    return issued;
  };

  const unify = (apiKey: string, consumerId = "tenant-a:42") =>
    new Apideck({ apiKey, appId: stack.appId, consumerId, serverURL: `${stack.url}/sdk` });

  /** The status an SDK call failed with (the SDK throws for any non-2xx). */
  const failure = (call: Promise<unknown>) =>
    call.then(
      () => ({ status: 200, body: "" }),
      (e: { httpMeta?: { response: Response; body: string } }) => ({
        status: e.httpMeta?.response.status,
        body: e.httpMeta?.body ?? "",
      }),
    );

  it("opens a session with @apideck/unify given only serverURL and the printed broker key", async () => {
    const result = await unify(stack.brokerKeys.key.text).vault.sessions.create({
      session: { redirectUri: "https://example.com/done", settings: { unifiedApis: ["crm"] } },
    });

    const data = result.createSessionResponse?.data;
    secrets.push(data?.sessionToken ?? "", data?.sessionUri ?? "");
    expect(data?.sessionToken).toEqual(expect.any(String));
    const sent = stack.simulator?.requests.at(-1);
    expect(sent?.headers["x-apideck-consumer-id"]).toBe("tenant-a:42");
    expect(sent?.valid).toBe(true);
    // Apideck sees the service's own key, never the broker key.
    expect(sent?.headers.authorization).not.toContain("vsb_");
  });

  it("opens a session with @apideck/node given only basePath and the broker key", async () => {
    const apideck = new ApideckNode({
      apiKey: stack.brokerKeys.key.text,
      appId: stack.appId,
      consumerId: "tenant-a:7",
      basePath: `${stack.url}/sdk`,
    });

    const result = await apideck.vault.sessionsCreate({
      session: { redirect_uri: "https://example.com/done" },
    });

    secrets.push(result.data.session_token, result.data.session_uri);
    expect(result.status_code).toBe(200);
    expect(stack.simulator?.requests.at(-1)?.headers["x-apideck-consumer-id"]).toBe("tenant-a:7");
  });

  it("answers 403 naming x-apideck-consumer-id when a key scoped tenant-a:* asks for tenant-b:1", async () => {
    const sent = stack.simulator?.requests.length;

    const result = await failure(
      unify(stack.brokerKeys.key.text, "tenant-b:1").vault.sessions.create({ session: {} }),
    );

    expect(result.status).toBe(403);
    expect(JSON.parse(result.body)).toMatchObject({
      type_name: "ForbiddenRequestError",
      detail: { field: "x-apideck-consumer-id" },
    });
    expect(stack.simulator?.requests.length).toBe(sent);
  });

  it("narrows the session to the key's APIs and length", async () => {
    const { text } = await issue({ allowedUnifiedApis: ["crm"], maxSessionLength: "30m" });

    const asked = await failure(
      unify(text).vault.sessions.create({
        session: { settings: { unifiedApis: ["hris"], sessionLength: "30m" } },
      }),
    );
    await unify(text).vault.sessions.create({
      session: { settings: { unifiedApis: ["crm"], sessionLength: "30m" } },
    });

    expect(asked.status).toBe(403);
    expect(stack.simulator?.requests.at(-1)?.body).toMatchObject({
      settings: { unified_apis: ["crm"], session_length: "30m" },
    });
  });

  describe("keys API Gateway refuses before the function runs", () => {
    const post = (authorization?: string) =>
      fetch(`${stack.url}/sdk/vault/sessions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-apideck-consumer-id": "tenant-a:1",
          ...(authorization !== undefined && { authorization }),
        },
        body: "{}",
      });

    it("answers 401 Unauthorized without an Authorization header", async () => {
      const response = await post();

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized" });
    });

    it.each([
      ["a malformed key", "Bearer vsb_nonsense"],
      ["an Apideck key", "Bearer sk_live_0123456789abcdef0123456789abcdef"],
      [
        "SigV4 credentials",
        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/execute-api/aws4_request",
      ],
      ["an unknown key id", `Bearer vsb_zzzzzzzzzzzz_${"A".repeat(44)}`],
    ])("answers 403 Forbidden to %s", async (_name, authorization) => {
      const response = await post(authorization);

      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: "Forbidden" });
    });

    it("answers a wrong secret exactly like an unknown id, through the SDK too", async () => {
      const { text } = await issue();
      const wrong = `${text.slice(0, -1)}${text.endsWith("A") ? "B" : "A"}`;

      const result = await failure(unify(wrong).vault.sessions.create({ session: {} }));

      expect(result).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    });

    it("refuses a revoked key", async () => {
      const { text, record } = await issue();
      await stack.brokerKeys.table.revoke(record.id, new Date());

      expect((await failure(unify(text).vault.sessions.create({ session: {} }))).status).toBe(403);
    });

    it("refuses an expired key", async () => {
      const { text } = await issue({ expiresAt: new Date(Date.now() + 60_000) });
      vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 61_000);

      expect((await failure(unify(text).vault.sessions.create({ session: {} }))).status).toBe(403);
    });

    it("lets a revoked key work until the authorizer cache expires (60 s), then refuses it", async () => {
      const { text, record } = await issue();
      await unify(text).vault.sessions.create({ session: {} });
      await stack.brokerKeys.table.revoke(record.id, new Date());

      const cached = await failure(unify(text).vault.sessions.create({ session: {} }));
      vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 60_000);
      const after = await failure(unify(text).vault.sessions.create({ session: {} }));

      expect(cached.status).toBe(200);
      expect(after).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    });

    it("cannot be locked out: the good key works after 100 wrong secrets for its id", async () => {
      const { text } = await issue();
      for (let i = 0; i < 100; i++) {
        const wrong = `${text.slice(0, -44)}${String(i).padStart(44, "x")}`;
        expect((await post(`Bearer ${wrong}`)).status).toBe(403);
      }

      expect((await failure(unify(text).vault.sessions.create({ session: {} }))).status).toBe(200);
    });
  });
});
