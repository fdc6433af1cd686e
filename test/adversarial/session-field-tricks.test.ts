import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DISPLAY_TEXT_RULES } from "../../lambda/session/text-rules.ts";
import { URL_RULES } from "../../lambda/session/url-rules.ts";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";
import { badDisplayName, NAME_FIELD_PATHS, URL_FIELD_PATHS, urlTrick } from "../support/trust-arbitraries.ts";

// Finding 3 of issue 11: only redirect_uri was hardened. Apideck shows image, logo, favicon,
// privacy_url and terms_url (and the names) to the operator's customers and staff; each now gets
// the same rules, named in the 422's detail, on all three entry points, and nothing is forwarded.

/** `{ a: { b: value } }` for `a.b`. */
function sessionWith(path: string, value: unknown): Record<string, unknown> {
  const [first, second] = path.split(".") as [string, string | undefined];
  return second === undefined ? { [first]: value } : { [first]: { [second]: value } };
}

const ENTRY_POINTS = {
  iam: (harness: BrokerHarness, session: unknown) =>
    harness.postVaultSessions({ headers: { "x-apideck-consumer-id": "tenant:1" }, body: session }),
  jwt: (harness: BrokerHarness, session: unknown) =>
    harness.postSessions({ claims: { sub: "tenant:1" }, body: session }),
  invoke: async (harness: BrokerHarness, session: unknown) => {
    const error = (await harness.invoke({ consumer_id: "tenant:1", session }).catch((e: unknown) => e)) as {
      statusCode?: number;
      message?: string;
    };
    return {
      statusCode: error.statusCode ?? 200,
      body: { detail: JSON.parse(error.message?.replace(/^[^{]*/, "") || "{}") },
    };
  },
} as const;

describe("Adversarial: session field tricks", () => {
  let harness: BrokerHarness | undefined;

  afterEach(async () => {
    if (harness === undefined) return;
    await harness.close();
    expect(harness.leakedSecrets()).toEqual([]);
    harness = undefined;
  });

  it.each([
    ["theme.logo", "http://169.254.169.254/latest/meta-data/", URL_RULES.ipLiteral],
    ["consumer_metadata.image", "https://0x7f.1/a.png", URL_RULES.ipLiteral],
    ["theme.favicon", "https://xn--pple-43d.com/favicon.ico", URL_RULES.punycode],
    ["theme.privacy_url", "https://%61pple.com/privacy", URL_RULES.plainHost],
    ["theme.terms_url", "https://metadata.google.internal/terms", URL_RULES.internalHost],
    ["consumer_metadata.account_name", "Acme\u0000", DISPLAY_TEXT_RULES.control],
    ["consumer_metadata.user_name", "\u001b[2J", DISPLAY_TEXT_RULES.control],
    ["consumer_metadata.user_name", "Mallory\u202efdp.exe", DISPLAY_TEXT_RULES.bidi],
    ["theme.vault_name", "<script>alert(1)</script>", DISPLAY_TEXT_RULES.markup],
  ])("refuses %s = %j with 422 naming the field and the rule", async (path, value, rule) => {
    harness = await startBrokerHarness();

    const result = await harness.postVaultSessions({
      headers: { "x-apideck-consumer-id": "tenant:1" },
      body: sessionWith(path, value),
    });

    expect(result.statusCode).toBe(422);
    expect(result.body.detail).toEqual({ [path]: rule });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it("accepts a punycode logo when the operator sets ALLOW_PUNYCODE_HOSTS", async () => {
    harness = await startBrokerHarness({ env: { ALLOW_PUNYCODE_HOSTS: "true" } });

    const result = await harness.postVaultSessions({
      headers: { "x-apideck-consumer-id": "tenant:1" },
      body: { theme: { logo: "https://xn--bcher-kva.example/logo.png" } },
    });

    expect(result.statusCode).toBe(200);
  });

  it.each(Object.keys(ENTRY_POINTS) as (keyof typeof ENTRY_POINTS)[])(
    "refuses every generated URL and name trick through %s, naming the field, forwarding nothing",
    async (entry) => {
      harness = await startBrokerHarness();
      const live = harness;
      const trick = fc.oneof(
        fc.tuple(fc.constantFrom(...URL_FIELD_PATHS), urlTrick),
        fc.tuple(fc.constantFrom(...NAME_FIELD_PATHS), badDisplayName),
      );

      await fc.assert(
        fc.asyncProperty(trick, async ([path, value]) => {
          const result = await ENTRY_POINTS[entry](live, sessionWith(path, value));

          expect(result.statusCode).toBe(422);
          expect(Object.keys(result.body.detail as object)).toContain(path);
        }),
        { numRuns: 300, seed: 0x11_0003 },
      );
      expect(live.simulator.requests).toHaveLength(0);
    },
    60_000,
  );
});
