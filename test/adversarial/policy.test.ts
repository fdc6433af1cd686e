import { afterEach, describe, expect, it } from "vitest";
import { APP_ID, type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";

// The operator's policy against callers who try to get around it, through the real handler. A
// refused request never reaches the secret or Apideck; an accepted one reaches Apideck with the
// operator's values in place.

describe("Adversarial: operator policy", () => {
  let harness: BrokerHarness;

  afterEach(async () => {
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
  });

  const sent = () => harness.simulator.requests.map((request) => request.body);

  describe("LOCKED_FIELDS", () => {
    const LOCKED = {
      LOCKED_FIELDS: "theme,settings.sandbox_mode",
      SESSION_DEFAULTS: JSON.stringify({ theme: { vault_name: "Acme" }, settings: { sandbox_mode: true } }),
    };

    it.each([
      ["the whole locked object", { theme: { vault_name: "Evil Corp" } }, "theme"],
      ["an empty locked object", { theme: {} }, "theme"],
      ["one field of a locked object", { theme: { primary_color: "#000" } }, "theme"],
      ["a locked nested field", { settings: { sandbox_mode: false } }, "settings.sandbox_mode"],
      [
        "a locked nested field to the operator's own value",
        { settings: { sandbox_mode: true } },
        "settings.sandbox_mode",
      ],
      [
        "a locked nested field next to free ones",
        { settings: { show_logs: true, sandbox_mode: false } },
        "settings.sandbox_mode",
      ],
      [
        "both locks at once (the first lock is named)",
        { theme: {}, settings: { sandbox_mode: false } },
        "theme",
      ],
    ])("refuses %s with 403 naming the field", async (_name, body, field) => {
      harness = await startBrokerHarness({ env: LOCKED });

      const result = await harness.postVaultSessions({ body });

      expect(result.statusCode).toBe(403);
      expect(result.body).toMatchObject({ type_name: "ForbiddenRequestError", detail: { field } });
      expect(result.body.message).toContain(field);
      expect(harness.simulator.requests).toHaveLength(0);
      expect(harness.secretsManager.getSecretValueCalls).toBe(0);
    });

    it("accepts a request that leaves the locked fields alone and sends the operator's values", async () => {
      harness = await startBrokerHarness({ env: LOCKED });

      const result = await harness.postVaultSessions({ body: { settings: { show_logs: false } } });

      expect(result.statusCode).toBe(200);
      expect(sent()).toEqual([
        { theme: { vault_name: "Acme" }, settings: { sandbox_mode: true, show_logs: false } },
      ]);
    });

    it("refuses a locked field on the JWT route and in a direct invocation too", async () => {
      harness = await startBrokerHarness({ env: LOCKED });

      const jwt = await harness.postSessions({ body: { settings: { sandbox_mode: false } } });
      const invoked = await harness
        .invoke({ consumer_id: "account:1", session: { theme: { vault_name: "x" } } })
        .catch((error: unknown) => error);

      expect(jwt.statusCode).toBe(403);
      expect(invoked).toMatchObject({ name: "ForbiddenRequestError", statusCode: 403 });
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("cannot be reached through a __proto__ or constructor key", async () => {
      harness = await startBrokerHarness({ env: LOCKED });

      const results = await Promise.all([
        harness.postVaultSessions({ body: '{"__proto__":{"theme":{"vault_name":"Evil"}}}' }),
        harness.postVaultSessions({ body: '{"settings":{"__proto__":{"sandbox_mode":false}}}' }),
        harness.postVaultSessions({ body: '{"constructor":{"prototype":{"theme":{}}}}' }),
      ]);

      expect(results.map((result) => result.statusCode)).toEqual([422, 422, 422]);
      expect(harness.simulator.requests).toHaveLength(0);
      expect({} as Record<string, unknown>).not.toHaveProperty("theme");
    });
  });

  describe("SESSION_DEFAULTS", () => {
    const DEFAULTS = {
      redirect_uri: "https://app.example.com/default",
      settings: { show_logs: false, unified_apis: ["crm"], session_length: "30m" },
      theme: { vault_name: "Acme", primary_color: "#286efa" },
      custom_consumer_settings: { plan: "pro", flags: { beta: true } },
    };

    it("is merged under every request: the request wins on unlocked fields, objects merge, arrays replace", async () => {
      harness = await startBrokerHarness({ env: { SESSION_DEFAULTS: JSON.stringify(DEFAULTS) } });

      const result = await harness.postVaultSessions({
        body: {
          redirect_uri: "https://app.example.com/mine",
          settings: { show_logs: true, unified_apis: ["hris"] },
          theme: { vault_name: "Mine" },
          custom_consumer_settings: { flags: { gamma: true } },
        },
      });

      expect(result.statusCode).toBe(200);
      expect(sent()).toEqual([
        {
          redirect_uri: "https://app.example.com/mine",
          settings: { show_logs: true, unified_apis: ["hris"], session_length: "30m" },
          theme: { vault_name: "Mine", primary_color: "#286efa" },
          custom_consumer_settings: { plan: "pro", flags: { beta: true, gamma: true } },
        },
      ]);
    });

    it("is sent as it is for an empty request, and for no body at all", async () => {
      harness = await startBrokerHarness({ env: { SESSION_DEFAULTS: JSON.stringify(DEFAULTS) } });

      await harness.postVaultSessions({ body: {} });
      await harness.postVaultSessions({ body: undefined });
      await harness.postVaultSessions({ body: "null" });

      expect(sent()).toEqual([DEFAULTS, DEFAULTS, DEFAULTS]);
    });

    it("keeps a locked default whatever the request says", async () => {
      const env = {
        SESSION_DEFAULTS: JSON.stringify(DEFAULTS),
        LOCKED_FIELDS: "theme.vault_name,settings.session_length",
      };
      harness = await startBrokerHarness({ env });

      const overriding = await harness.postVaultSessions({ body: { theme: { vault_name: "Evil" } } });
      const beside = await harness.postVaultSessions({ body: { theme: { primary_color: "#000" } } });

      expect(overriding.statusCode).toBe(403);
      expect(overriding.body.detail).toEqual({ field: "theme.vault_name" });
      expect(beside.statusCode).toBe(200);
      expect(sent()).toEqual([{ ...DEFAULTS, theme: { vault_name: "Acme", primary_color: "#000" } }]);
    });

    it("is not changed by one request for the next", async () => {
      harness = await startBrokerHarness({ env: { SESSION_DEFAULTS: JSON.stringify(DEFAULTS) } });

      await harness.postVaultSessions({
        body: { custom_consumer_settings: { flags: { beta: false, injected: 1 } } },
      });
      await harness.postVaultSessions({ body: {} });

      expect(sent()[1]).toEqual(DEFAULTS);
    });
  });

  describe("ALLOWED_UNIFIED_APIS", () => {
    const ALLOWED = { ALLOWED_UNIFIED_APIS: "crm,hris" };

    it.each([
      [["crm", "accounting"], "accounting"],
      [["ats"], "ats"],
      [["crm", "hris", "vault", "ats"], "vault, ats"],
    ])("refuses %j with 403 naming what is not allowed", async (apis, named) => {
      harness = await startBrokerHarness({ env: ALLOWED });

      const result = await harness.postVaultSessions({ body: { settings: { unified_apis: apis } } });

      expect(result.statusCode).toBe(403);
      expect(result.body.detail).toEqual({ field: "settings.unified_apis" });
      expect(result.body.message).toContain(named);
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it.each([
      ["no settings", {}],
      ["settings without unified_apis", { settings: { show_logs: true } }],
      ["an empty list, which Apideck reads as every API", { settings: { unified_apis: [] } }],
    ])("sends exactly the allowed list for %s", async (_name, body) => {
      harness = await startBrokerHarness({ env: ALLOWED });

      const result = await harness.postVaultSessions({ body });

      expect(result.statusCode).toBe(200);
      expect((sent()[0] as { settings: { unified_apis: string[] } }).settings.unified_apis).toEqual([
        "crm",
        "hris",
      ]);
    });

    it("sends a subset of the allowed list as asked", async () => {
      harness = await startBrokerHarness({ env: ALLOWED });

      await harness.postVaultSessions({ body: { settings: { unified_apis: ["hris"] } } });

      expect(sent()).toEqual([{ settings: { unified_apis: ["hris"] } }]);
    });

    it("leaves unified_apis out without the variable, so Apideck shows every API", async () => {
      harness = await startBrokerHarness();

      await harness.postVaultSessions({ body: {} });

      expect(sent()).toEqual([{}]);
    });
  });

  describe("MAX_SESSION_LENGTH", () => {
    it.each(["31m", "1h", "1801s", "7d"])("refuses %s above a 30m maximum with 403", async (length) => {
      harness = await startBrokerHarness({ env: { MAX_SESSION_LENGTH: "30m" } });

      const result = await harness.postVaultSessions({ body: { settings: { session_length: length } } });

      expect(result.statusCode).toBe(403);
      expect(result.body.detail).toEqual({ field: "settings.session_length" });
      expect(result.body.message).toContain("30m");
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it.each(["30m", "1800s", "29m", "1s"])("accepts %s within a 30m maximum", async (length) => {
      harness = await startBrokerHarness({ env: { MAX_SESSION_LENGTH: "30m" } });

      const result = await harness.postVaultSessions({ body: { settings: { session_length: length } } });

      expect(result.statusCode).toBe(200);
      expect(sent()).toEqual([{ settings: { session_length: length } }]);
    });

    it("sends 30m when the request omits session_length and the maximum is 30m", async () => {
      harness = await startBrokerHarness({ env: { MAX_SESSION_LENGTH: "30m" } });

      const result = await harness.postVaultSessions({ body: { settings: { show_logs: true } } });

      expect(result.statusCode).toBe(200);
      expect(sent()).toEqual([{ settings: { show_logs: true, session_length: "30m" } }]);
      const expiresInMs = Date.parse(result.headers["x-vault-session-expires-at"] ?? "") - Date.now();
      expect(expiresInMs).toBeLessThanOrEqual(30 * 60_000 + 1_000);
    });

    it("refuses more than the default maximum of 1h, and leaves an omitted length to Apideck's 1h", async () => {
      harness = await startBrokerHarness();

      const refused = await harness.postVaultSessions({ body: { settings: { session_length: "2h" } } });
      const omitted = await harness.postVaultSessions({ body: {} });

      expect(refused.statusCode).toBe(403);
      expect(omitted.statusCode).toBe(200);
      expect(sent()).toEqual([{}]);
    });
  });

  describe("CONSUMER_ID_SCOPE", () => {
    const PATTERN = { CONSUMER_ID_SCOPE: "tenant-*-eu,ops" };

    it.each([
      ["a suffix after a match", "tenant-12-eux"],
      ["a prefix before a match", "xtenant-12-eu"],
      ["the glob's prefix only", "tenant-"],
      ["the second glob with a suffix", "opsx"],
      ["a regex that the glob reads literally", "tenant-1-eU"],
    ])("refuses %s on the IAM route with 403", async (_name, consumerId) => {
      harness = await startBrokerHarness({ env: PATTERN });

      const result = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": consumerId } });

      expect(result.statusCode).toBe(403);
      expect(result.body.detail).toEqual({ field: "x-apideck-consumer-id" });
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("refuses a consumer_id outside the scope in a direct invocation with 403", async () => {
      harness = await startBrokerHarness({ env: PATTERN });

      const error = await harness.invoke({ consumer_id: "admin" }).catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({ name: "ForbiddenRequestError", statusCode: 403 });
      expect((error as Error).message).toContain("consumer_id");
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it.each(["tenant-12345678-eu", "ops"])("accepts %s, a full match", async (consumerId) => {
      harness = await startBrokerHarness({ env: PATTERN });

      const http = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": consumerId } });
      const invoked = await harness.invoke({ consumer_id: consumerId });

      expect(http.statusCode).toBe(200);
      expect(invoked).toHaveProperty("session_token");
      expect(harness.simulator.requests.map((request) => request.headers["x-apideck-consumer-id"])).toEqual([
        consumerId,
        consumerId,
      ]);
    });

    it("refuses a Cyrillic look-alike letter before the pattern: consumer ids are printable ASCII (422)", async () => {
      harness = await startBrokerHarness({ env: PATTERN });

      const result = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "tеnant-1-eu" } });

      expect(result.statusCode).toBe(422);
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("applies to the JWT route too: a direct invoker could forge a JWT-route event", async () => {
      harness = await startBrokerHarness({ env: PATTERN });

      const outside = await harness.postSessions({ claims: { sub: "auth0|6560f1a2" } });
      const inside = await harness.postSessions({ claims: { sub: "tenant-7-eu" } });

      expect(outside.statusCode).toBe(403);
      expect(outside.body.detail).toEqual({ field: "the token's sub claim" });
      expect(inside.statusCode).toBe(200);
    });
  });

  describe("x-apideck-app-id", () => {
    it.each([
      ["another app", "other-app"],
      ["this app in another case", APP_ID.toUpperCase()],
      ["this app repeated, as API Gateway joins repeats", `${APP_ID}, ${APP_ID}`],
      ["this app and another", `${APP_ID}, other-app`],
      ["an empty value", ""],
    ])("refuses %s with 403 on both routes", async (_name, appId) => {
      harness = await startBrokerHarness();

      const iam = await harness.postVaultSessions({ headers: { "x-apideck-app-id": appId } });
      const jwt = await harness.postSessions({ headers: { "x-apideck-app-id": appId } });

      for (const result of [iam, jwt]) {
        expect(result.statusCode).toBe(403);
        expect(result.body.detail).toEqual({ field: "x-apideck-app-id" });
      }
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("accepts this service's app id and always sends its own", async () => {
      harness = await startBrokerHarness();

      const result = await harness.postVaultSessions({ headers: { "x-apideck-app-id": APP_ID } });

      expect(result.statusCode).toBe(200);
      expect(harness.simulator.requests[0]?.headers["x-apideck-app-id"]).toBe(APP_ID);
    });
  });

  describe("consumer ids with control characters", () => {
    const BAD_IDS: [string, string][] = [
      ["a CRLF header injection", "account:1\r\nx-apideck-app-id: other-app"],
      ["a bare LF", "account:1\nx"],
      ["a bare CR", "account:1\r"],
      ["a NUL byte", "account:1\u0000"],
      ["a tab", "account\t1"],
      ["an escape character", "\u001b[31maccount"],
      ["DEL", "account\u007f"],
      ["a C1 next-line", "account\u00851"],
      ["a leading space", " account:1"],
      ["a trailing space", "account:1 "],
      ["a trailing no-break space", "account:1\u00a0"],
      ["only spaces", "   "],
      ["257 characters", "a".repeat(257)],
    ];

    it.each(BAD_IDS)(
      "refuses %s in a direct invocation with 422 naming consumer_id",
      async (_name, consumerId) => {
        harness = await startBrokerHarness();

        const error = await harness.invoke({ consumer_id: consumerId }).catch((thrown: unknown) => thrown);

        expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
        expect((error as Error).message).toContain("consumer_id");
        expect(harness.simulator.requests).toHaveLength(0);
      },
    );

    // Real HTTP cannot carry these (fetch refuses, see local-server.test.ts); an event can.
    it.each(BAD_IDS)("refuses %s in an IAM-route event with 422", async (_name, consumerId) => {
      harness = await startBrokerHarness();

      const result = await harness.postVaultSessions({ headers: { "x-apideck-consumer-id": consumerId } });

      expect(result.statusCode).toBe(422);
      expect(Object.keys(result.body.detail as object)).toEqual(["x-apideck-consumer-id header"]);
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it.each([
      ["a missing consumer_id", {}],
      ["an empty consumer_id", { consumer_id: "" }],
      ["a null consumer_id", { consumer_id: null }],
    ])("refuses %s in a direct invocation with 400", async (_name, payload) => {
      harness = await startBrokerHarness();

      const error = await harness.invoke(payload).catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({ name: "MissingConsumerIdError", statusCode: 400 });
    });

    it.each([
      ["a number", 12345],
      ["an array", ["a", "b"]],
      ["an object", { id: "a" }],
    ])("refuses %s as consumer_id with 422", async (_name, consumerId) => {
      harness = await startBrokerHarness();

      const error = await harness.invoke({ consumer_id: consumerId }).catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
    });

    it.each([
      ["Latin-1 letters", "kunde:müller"],
      ["CJK characters (fetch cannot put them in a header)", "用户"],
    ])("refuses %s with 422, since the id travels in an HTTP header", async (_name, consumerId) => {
      harness = await startBrokerHarness();

      const error = await harness.invoke({ consumer_id: consumerId }).catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({ name: "RequestValidationError", statusCode: 422 });
      expect(harness.simulator.requests).toHaveLength(0);
    });

    it("accepts 256 printable ASCII characters, sent unchanged", async () => {
      harness = await startBrokerHarness();
      const ids = ["a".repeat(256), "kunde:mueller-strasse", "team a|b@c.d"];

      for (const consumerId of ids) await harness.invoke({ consumer_id: consumerId });

      expect(harness.simulator.requests.map((request) => request.headers["x-apideck-consumer-id"])).toEqual(
        ids,
      );
    });
  });

  describe("body size", () => {
    /** A valid session body of exactly `bytes` bytes, padded with `char` (one or two bytes in UTF-8). */
    const padded = (bytes: number, char: "a" | "é" = "a") => {
      const frame = '{"custom_consumer_settings":{"pad":""}}';
      const pad = char.repeat(Math.floor((bytes - frame.length) / Buffer.byteLength(char)));
      const body = frame.replace('""', `"${pad}"`);
      return body + " ".repeat(bytes - Buffer.byteLength(body));
    };

    it("accepts a body of exactly 16,384 bytes", async () => {
      harness = await startBrokerHarness();

      const result = await harness.postVaultSessions({ body: padded(16_384) });

      expect(result.statusCode).toBe(200);
    });

    it.each([
      ["16,385 bytes", padded(16_385)],
      ["16,385 bytes in fewer characters, most of two bytes", padded(16_385, "é")],
      ["a megabyte", padded(1_048_576)],
    ])("refuses %s with 413 before any I/O", async (_name, body) => {
      harness = await startBrokerHarness();

      const result = await harness.postVaultSessions({ body });

      expect(result.statusCode).toBe(413);
      expect(result.body.type_name).toBe("PayloadTooLargeError");
      expect(harness.simulator.requests).toHaveLength(0);
      expect(harness.secretsManager.getSecretValueCalls).toBe(0);
    });

    it("measures a base64-encoded body after decoding it", async () => {
      harness = await startBrokerHarness();
      const small = Buffer.from(padded(16_384)).toString("base64");
      const large = Buffer.from(padded(16_385)).toString("base64");

      const accepted = await harness.postVaultSessions({ body: small, event: { isBase64Encoded: true } });
      const refused = await harness.postVaultSessions({ body: large, event: { isBase64Encoded: true } });

      expect(small.length).toBeGreaterThan(16_384);
      expect(accepted.statusCode).toBe(200);
      expect(refused.statusCode).toBe(413);
    });

    it("refuses an oversized body before looking at its content type", async () => {
      harness = await startBrokerHarness();

      const result = await harness.postVaultSessions({
        body: "x".repeat(20_000),
        headers: { "content-type": "text/plain" },
      });

      expect(result.statusCode).toBe(413);
    });
  });
});
