import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toFieldProblems } from "../../../lambda/errors/field-problems.ts";
import {
  ALLOW_ACTIONS,
  ConsumerMetadataSchema,
  SessionSchema,
  SessionSettingsSchema,
  SessionThemeSchema,
  UNIFIED_API_IDS,
} from "../../../lambda/session/schema.ts";
import { DISPLAY_TEXT_RULES } from "../../../lambda/session/text-rules.ts";
import { URL_RULES } from "../../../lambda/session/url-rules.ts";

interface SchemaObject {
  properties: Record<string, SchemaObject & { $ref?: string }>;
  items?: { enum?: string[] };
  enum?: string[];
}

// Apideck's published spec, unchanged: the vendored copy, which test/local/vault-contract.test.ts
// holds byte-identical to ../shared/apideck/vault.yml, so this also runs on a clone without ../shared.
const spec = parse(readFileSync(new URL("../../../infra/local/vault-spec.yml", import.meta.url), "utf8"));
const specSchemas = spec.components.schemas as Record<string, SchemaObject>;
const specSession = specSchemas.Session as SchemaObject;
const specSettings = specSession.properties.settings as SchemaObject;

/** The body of the spec's own code sample for `POST /vault/sessions`. */
function specExampleBody(): Record<string, unknown> {
  const sample = spec.paths["/vault/sessions"].post["x-codeSamples"][0].source.session;
  return structuredClone(sample);
}

/** Parses `body` and returns the field problems, or `[]` when it is valid. */
function problemsOf(body: unknown) {
  const parsed = SessionSchema.safeParse(body);
  return parsed.success ? [] : toFieldProblems(parsed.error.issues);
}

/** The paths of the problems found in `body`. */
function problemPaths(body: unknown): string[] {
  return problemsOf(body).map((problem) => problem.path);
}

describe("Unit: session schema", () => {
  describe("mirror of the spec", () => {
    it("has exactly the spec's Session fields", () => {
      expect(Object.keys(SessionSchema.shape).sort()).toEqual(Object.keys(specSession.properties).sort());
    });

    it("has exactly the spec's settings, theme and consumer_metadata fields", () => {
      expect(Object.keys(SessionSettingsSchema.shape).sort()).toEqual(
        Object.keys(specSettings.properties).sort(),
      );
      expect(Object.keys(SessionThemeSchema.shape).sort()).toEqual(
        Object.keys((specSession.properties.theme as SchemaObject).properties).sort(),
      );
      expect(Object.keys(ConsumerMetadataSchema.shape).sort()).toEqual(
        Object.keys((specSchemas.ConsumerMetadata as SchemaObject).properties).sort(),
      );
    });

    it("lists the spec's UnifiedApiId and allow_actions enums, in order", () => {
      expect([...UNIFIED_API_IDS]).toEqual(specSchemas.UnifiedApiId?.enum);
      expect([...ALLOW_ACTIONS]).toEqual(specSettings.properties.allow_actions?.items?.enum);
    });
  });

  describe("valid sessions", () => {
    it("accepts the spec's own example body, with every Session field", () => {
      const body = specExampleBody();

      const parsed = SessionSchema.safeParse(body);

      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(body);
      expect(Object.keys(body).sort()).toEqual(Object.keys(specSession.properties).sort());
    });

    it("accepts an empty session", () => {
      expect(problemsOf({})).toEqual([]);
    });

    it.each(UNIFIED_API_IDS)("accepts unified_apis %s", (id) => {
      expect(problemsOf({ settings: { unified_apis: [id] } })).toEqual([]);
    });

    it("accepts every unified API at once", () => {
      expect(problemsOf({ settings: { unified_apis: [...UNIFIED_API_IDS] } })).toEqual([]);
    });

    it.each(ALLOW_ACTIONS)("accepts allow_actions %s", (action) => {
      expect(problemsOf({ settings: { allow_actions: [action] } })).toEqual([]);
    });

    it("accepts an empty allow_actions, which hides every action", () => {
      expect(problemsOf({ settings: { allow_actions: [] } })).toEqual([]);
    });

    it.each(["30m", "1h", "7d", "168h", "90s"])("accepts session_length %s", (sessionLength) => {
      expect(problemsOf({ settings: { session_length: sessionLength } })).toEqual([]);
    });

    it.each(["#fff", "#286efa", "#286EFA80", "white", "rgb(40, 110, 250)", "hsla(220, 95%, 57%, 0.5)"])(
      "accepts the color %s",
      (color) => {
        expect(problemsOf({ theme: { primary_color: color } })).toEqual([]);
      },
    );

    it("accepts free-form custom_consumer_settings", () => {
      const custom = { feature_flag_1: true, nested: { deep: [1, "two", null] } };

      expect(problemsOf({ custom_consumer_settings: custom })).toEqual([]);
    });
  });

  describe("unknown fields", () => {
    it.each([
      ["the top level", { colour: "red" }, "colour"],
      ["settings", { settings: { session_lenght: "1h" } }, "settings.session_lenght"],
      ["theme", { theme: { primary_colour: "#fff" } }, "theme.primary_colour"],
      [
        "consumer_metadata",
        { consumer_metadata: { avatar: "https://x.example/a.png" } },
        "consumer_metadata.avatar",
      ],
    ])("rejects an unknown field at %s", (_, body, path) => {
      expect(problemsOf(body)).toEqual([{ path, problem: "is not a known field" }]);
    });

    it("names every unknown field at every level in one pass", () => {
      const body = {
        ...specExampleBody(),
        a: 1,
        settings: { b: 1 },
        theme: { c: 1 },
        consumer_metadata: { d: 1 },
      };

      expect(problemPaths(body).sort()).toEqual(["a", "consumer_metadata.d", "settings.b", "theme.c"]);
    });
  });

  describe("enums", () => {
    it.each([
      [
        "an unknown unified API",
        { settings: { unified_apis: ["crm", "banking"] } },
        "settings.unified_apis[1]",
      ],
      [
        "a unified API in the wrong case",
        { settings: { unified_apis: ["CRM"] } },
        "settings.unified_apis[0]",
      ],
      [
        "an unknown action",
        { settings: { allow_actions: ["delete", "rename"] } },
        "settings.allow_actions[1]",
      ],
      ["unified_apis as a string", { settings: { unified_apis: "crm" } }, "settings.unified_apis"],
    ])("rejects %s", (_, body, path) => {
      expect(problemPaths(body)).toEqual([path]);
    });

    it("lists the allowed values in the problem", () => {
      const [problem] = problemsOf({ settings: { allow_actions: ["rename"] } });

      expect(problem?.problem).toBe("must be one of: delete, disconnect, reauthorize, disable");
    });

    it("rejects more unified APIs than there are", () => {
      const tooMany = [...UNIFIED_API_IDS, "crm"];

      expect(problemsOf({ settings: { unified_apis: tooMany } })).toEqual([
        { path: "settings.unified_apis", problem: `must be at most ${UNIFIED_API_IDS.length} items` },
      ]);
    });
  });

  describe("URLs", () => {
    const urlFields = [
      ["redirect_uri", (url: string) => ({ redirect_uri: url })],
      ["consumer_metadata.image", (url: string) => ({ consumer_metadata: { image: url } })],
      ["theme.favicon", (url: string) => ({ theme: { favicon: url } })],
      ["theme.logo", (url: string) => ({ theme: { logo: url } })],
      ["theme.privacy_url", (url: string) => ({ theme: { privacy_url: url } })],
      ["theme.terms_url", (url: string) => ({ theme: { terms_url: url } })],
    ] as const;

    const badUrls = [
      ["a javascript: URL", "javascript:alert(document.cookie)"],
      ["a data: URL", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
      ["a relative URL", "/dashboard"],
      ["a scheme-relative URL", "//evil.example.com/"],
      ["credentials in the URL", "https://user:secret@mysaas.com/dashboard"],
      ["a user name in the URL", "https://admin@mysaas.com/dashboard"],
      ["a space inside", "https://mysaas.com/dash board"],
      ["leading whitespace", " https://mysaas.com/dashboard"],
      ["a newline", "https://mysaas.com/\ndashboard"],
      ["a backslash", "https://mysaas.com\\@evil.example.com/"],
      ["an ftp: URL", "ftp://mysaas.com/file"],
      ["an empty string", ""],
    ] as const;

    for (const [field, body] of urlFields) {
      it.each(badUrls)(`rejects %s in ${field}, naming the rule`, (name, url) => {
        const rule = name.includes("credentials") || name.includes("user name") ? "userinfo" : "form";

        expect(problemsOf(body(url))).toEqual([{ path: field, problem: URL_RULES[rule] }]);
      });
    }

    const lookAlikes = [
      ["the metadata address", "http://169.254.169.254/latest/meta-data/", "ipLiteral"],
      ["an IPv4 address", "https://10.0.0.1/logo.png", "ipLiteral"],
      ["IPv4 in hex", "https://0xa9.0xfe.0xa9.0xfe/", "ipLiteral"],
      ["IPv4 in octal", "https://0251.0376.0251.0376/", "ipLiteral"],
      ["IPv4 as one number", "https://2852039166/", "ipLiteral"],
      ["IPv4 shorthand", "https://169.16689662/", "ipLiteral"],
      ["an IPv6 address", "https://[2001:db8::1]/", "ipLiteral"],
      ["an IPv6 link-local address", "https://[fe80::1]/", "ipLiteral"],
      ["IPv4-mapped IPv6", "https://[::ffff:169.254.169.254]/", "ipLiteral"],
      ["a metadata host name", "https://metadata.google.internal/computeMetadata/v1/", "internalHost"],
      ["a one-label host", "https://metadata/", "internalHost"],
      ["an mDNS host", "https://printer.local/", "internalHost"],
      ["a percent-encoded host", "https://%61pp.example.com/", "plainHost"],
      ["a percent-encoded dot", "https://app%2eexample.com/", "plainHost"],
      ["a non-ASCII host", "https://аpp.example.com/", "plainHost"],
      ["an empty userinfo", "https://@app.example.com/", "userinfo"],
      ["plain http", "http://cdn.example.com/logo.png", "https"],
    ] as const;

    for (const [field, body] of urlFields) {
      it.each(lookAlikes)(`rejects %s in ${field}, naming the rule`, (_, url, rule) => {
        expect(problemsOf(body(url))).toEqual([{ path: field, problem: URL_RULES[rule] }]);
      });
    }

    it.each([
      "https://xn--bcher-kva.example/logo.png",
      "http://localhost:5173/logo.png",
      "https://0x7f.1/logo.png",
      "http://[::1]/logo.png",
    ])("leaves %s to the operator's policy (punycode, local mode), which decides per deployment", (url) => {
      expect(problemsOf({ theme: { logo: url } })).toEqual([]);
    });

    it("rejects a URL longer than 2048 characters", () => {
      const url = `https://mysaas.com/${"a".repeat(2048)}`;

      expect(problemPaths({ redirect_uri: url })).toEqual(["redirect_uri"]);
    });

    it("accepts an http URL with a port, a query and a fragment", () => {
      expect(problemsOf({ redirect_uri: "http://localhost:3000/done?tab=crm#top" })).toEqual([]);
    });
  });

  describe("email", () => {
    it.each(["elon", "elon@", "@musk.com", "elon musk@musk.com", "elon@musk"])(
      "rejects the email %j",
      (email) => {
        expect(problemsOf({ consumer_metadata: { email } })).toEqual([
          { path: "consumer_metadata.email", problem: "must be a valid email" },
        ]);
      },
    );

    it("rejects an email longer than 254 characters", () => {
      const email = `${"e".repeat(64)}@${"d".repeat(63)}.${"d".repeat(63)}.${"d".repeat(63)}.com`;

      expect(email.length).toBeGreaterThan(254);
      expect(problemPaths({ consumer_metadata: { email } })).toContain("consumer_metadata.email");
    });
  });

  describe("string lengths", () => {
    it.each([
      ["consumer_metadata.account_name", (value: string) => ({ consumer_metadata: { account_name: value } })],
      ["consumer_metadata.user_name", (value: string) => ({ consumer_metadata: { user_name: value } })],
      ["theme.vault_name", (value: string) => ({ theme: { vault_name: value } })],
    ])("bounds %s to 1..255 characters", (path, body) => {
      expect(problemsOf(body("a"))).toEqual([]);
      expect(problemsOf(body("a".repeat(255)))).toEqual([]);
      expect(problemsOf(body(""))).toEqual([{ path, problem: "must be at least 1 characters" }]);
      expect(problemsOf(body("a".repeat(256)))).toEqual([
        { path, problem: "must be at most 255 characters" },
      ]);
    });
  });

  describe("display names", () => {
    const nameFields = [
      ["consumer_metadata.account_name", (value: string) => ({ consumer_metadata: { account_name: value } })],
      ["consumer_metadata.user_name", (value: string) => ({ consumer_metadata: { user_name: value } })],
      ["theme.vault_name", (value: string) => ({ theme: { vault_name: value } })],
    ] as const;

    const badNames = [
      ["a NUL", "Acme\u0000Corp", "control"],
      ["an ESC sequence", "Acme\u001b[31m", "control"],
      ["a newline", "Acme\nCorp", "control"],
      ["a C1 control", "Acme\u0085", "control"],
      ["a right-to-left override", "Acme\u202egnp.exe", "bidi"],
      ["a left-to-right embedding", "\u202aAcme", "bidi"],
      ["a pop directional formatting", "Acme\u202c", "bidi"],
      ["a right-to-left isolate", "\u2067Acme", "bidi"],
      ["a pop directional isolate", "Acme\u2069", "bidi"],
      ["an HTML tag", "<img src=x onerror=alert(1)>", "markup"],
      ["a lone angle bracket", "a > b", "markup"],
    ] as const;

    for (const [field, body] of nameFields) {
      it.each(badNames)(`rejects %s in ${field}, naming the rule`, (_, value, rule) => {
        expect(problemsOf(body(value))).toEqual([{ path: field, problem: DISPLAY_TEXT_RULES[rule] }]);
      });
    }

    it("names every rule a name breaks in one problem", () => {
      expect(problemsOf({ theme: { vault_name: "<\u202e\u0000>" } })).toEqual([
        {
          path: "theme.vault_name",
          problem: [DISPLAY_TEXT_RULES.control, DISPLAY_TEXT_RULES.bidi, DISPLAY_TEXT_RULES.markup].join(
            "; ",
          ),
        },
      ]);
    });

    it.each(["Ünïcödé GmbH", "株式会社アクメ", "شركة أكمي", "O'Brien & Sons", "Zoë 👩‍💻", "a\u200db"])(
      "accepts the everyday name %j",
      (name) => {
        expect(problemsOf({ consumer_metadata: { account_name: name } })).toEqual([]);
      },
    );
  });

  describe("other bounds", () => {
    it("bounds colors to 64 characters", () => {
      const color = `rgb(${"1".repeat(61)})`;

      expect(color.length).toBe(66);
      expect(problemPaths({ theme: { sidepanel_text_color: color } })).toEqual([
        "theme.sidepanel_text_color",
      ]);
    });

    it("bounds custom_consumer_settings keys to 256 characters", () => {
      expect(problemsOf({ custom_consumer_settings: { ["k".repeat(256)]: 1 } })).toEqual([]);
      expect(problemPaths({ custom_consumer_settings: { ["k".repeat(257)]: 1 } })).toEqual([
        `custom_consumer_settings.${"k".repeat(257)}`,
      ]);
    });
  });

  describe("session_length", () => {
    it("rejects 8d as longer than Apideck's one-week maximum", () => {
      expect(problemsOf({ settings: { session_length: "8d" } })).toEqual([
        { path: "settings.session_length", problem: "must be at most 7d" },
      ]);
    });

    it.each(["0m", "1w", "", "10", "1.5h", "30 m", "-1h", "1H", "1h30m"])(
      "rejects %j as not a duration",
      (value) => {
        expect(problemsOf({ settings: { session_length: value } })).toEqual([
          { path: "settings.session_length", problem: "must be a duration like 30m, 1h or 7d" },
        ]);
      },
    );

    it("rejects a number", () => {
      expect(problemPaths({ settings: { session_length: 10 } })).toEqual(["settings.session_length"]);
    });
  });

  describe("other types", () => {
    it.each([
      "hide_resource_settings",
      "sandbox_mode",
      "isolation_mode",
      "show_logs",
      "show_suggestions",
      "show_sidebar",
      "auto_redirect",
      "hide_guides",
    ])("rejects a non-boolean %s", (flag) => {
      expect(problemPaths({ settings: { [flag]: "true" } })).toEqual([`settings.${flag}`]);
    });

    it.each([
      ["a string body", "redirect_uri=https://mysaas.com"],
      ["an array body", [{ redirect_uri: "https://mysaas.com" }]],
      ["a number body", 42],
    ])("rejects %s", (_, body) => {
      expect(problemPaths(body)).toEqual(["(body)"]);
    });

    it.each([
      ["settings", { settings: [] }],
      ["theme", { theme: "dark" }],
      ["consumer_metadata", { consumer_metadata: null }],
      ["custom_consumer_settings", { custom_consumer_settings: ["a"] }],
    ])("rejects %s that is not an object", (path, body) => {
      expect(problemPaths(body)).toEqual([path]);
    });

    it.each([
      ["a script", "red;background:url(javascript:alert(1))"],
      ["a CSS expression", "expression(alert(1))"],
      ["a hex code that is too long", "#123456789"],
    ])("rejects %s as a color", (_, color) => {
      expect(problemsOf({ theme: { primary_color: color } })).toEqual([
        { path: "theme.primary_color", problem: "has an invalid format" },
      ]);
    });
  });
});
