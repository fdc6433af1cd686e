import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { apideckErrorBody } from "../../infra/local/apideck-error-bodies.ts";
import {
  type VaultSchemaName,
  validateCreateSessionResponse,
  validateSessionRequest,
  validateVaultSchema,
  vaultSpecVersion,
} from "../../infra/local/vault-contract.ts";

const vendoredSpec = new URL("../../infra/local/vault-spec.yml", import.meta.url);
const sharedSpec = new URL("../../../shared/apideck/vault.yml", import.meta.url);

/** The request body Apideck publishes as its code sample for `POST /vault/sessions`. */
function publishedSessionSample(): unknown {
  type Spec = { paths: Record<string, { post: { "x-codeSamples": { source: { session: unknown } }[] } }> };
  const spec = parse(readFileSync(vendoredSpec, "utf8")) as Spec;
  return spec.paths["/vault/sessions"]?.post["x-codeSamples"][0]?.source.session;
}

const validResponse = {
  status_code: 200,
  status: "OK",
  data: { session_uri: "https://vault.apideck.com/session/abc", session_token: "abc" },
};

describe("Local: Vault contract", () => {
  describe("vendored spec", () => {
    it("is Apideck's Vault API 10.34.0", () => {
      expect(vaultSpecVersion).toBe("10.34.0");
    });

    it("is byte-identical to ../shared/apideck/vault.yml", () => {
      if (!existsSync(sharedSpec)) {
        // A clone without the shared folder has nothing to compare with; the vendored copy is the contract.
        console.info(`vault-contract: ${sharedSpec.pathname} is absent, byte comparison not possible here`);
        return;
      }
      expect(readFileSync(vendoredSpec).equals(readFileSync(sharedSpec))).toBe(true);
    });
  });

  describe("validateSessionRequest", () => {
    it("accepts the spec's own x-codeSamples session body", () => {
      const sample = publishedSessionSample();

      expect(sample).toMatchObject({ settings: { session_length: "30m" } });
      expect(validateSessionRequest(sample)).toEqual({ valid: true, errors: [] });
    });

    it("accepts an empty object, since every Session property is optional", () => {
      expect(validateSessionRequest({}).valid).toBe(true);
    });

    it("rejects unknown top-level fields, naming them", () => {
      const result = validateSessionRequest({ redirect_uri: "https://x", consumer_id: "c", foo: 1 });

      expect(result.valid).toBe(false);
      expect(result.errors).toEqual([
        "body must NOT have additional property 'consumer_id'",
        "body must NOT have additional property 'foo'",
      ]);
    });

    it("rejects unknown settings but allows any custom_consumer_settings", () => {
      expect(validateSessionRequest({ settings: { dark_mode: true } }).errors).toEqual([
        "body.settings must NOT have additional property 'dark_mode'",
      ]);
      expect(validateSessionRequest({ custom_consumer_settings: { anything: [1, 2] } }).valid).toBe(true);
    });

    it("rejects values outside the UnifiedApiId and allow_actions enums", () => {
      const result = validateSessionRequest({
        settings: { unified_apis: ["crm", "banking"], allow_actions: ["erase"] },
      });

      expect(result.errors).toHaveLength(2);
      expect(result.errors[0]).toMatch(/^body\.settings\.unified_apis\[1\] must be one of accounting, ats, /);
      expect(result.errors[1]).toBe(
        "body.settings.allow_actions[0] must be one of delete, disconnect, reauthorize, disable",
      );
    });

    it("rejects wrong types, reporting every error at once", () => {
      const result = validateSessionRequest({
        redirect_uri: 42,
        settings: { sandbox_mode: "yes" },
        consumer_metadata: [],
      });

      expect(result.errors).toEqual([
        "body.consumer_metadata must be object",
        "body.redirect_uri must be string",
        "body.settings.sandbox_mode must be boolean",
      ]);
    });

    it("rejects a body that is not an object", () => {
      for (const body of [null, "session", [], 1]) expect(validateSessionRequest(body).valid).toBe(false);
    });
  });

  describe("validateCreateSessionResponse", () => {
    it("accepts a well-formed session response, with or without _raw", () => {
      expect(validateCreateSessionResponse(validResponse).valid).toBe(true);
      expect(validateCreateSessionResponse({ ...validResponse, _raw: null }).valid).toBe(true);
    });

    it("rejects missing or extra data fields and wrong types", () => {
      const { session_uri: _, ...withoutUri } = validResponse.data;

      expect(validateCreateSessionResponse({ ...validResponse, data: withoutUri }).errors).toEqual([
        "body.data must have required property 'session_uri'",
      ]);
      expect(
        validateCreateSessionResponse({ ...validResponse, data: { ...validResponse.data, x: 1 } }).valid,
      ).toBe(false);
      expect(validateCreateSessionResponse({ ...validResponse, status_code: "200" }).errors).toEqual([
        "body.status_code must be integer",
      ]);
      expect(validateCreateSessionResponse({ status_code: 200, status: "OK" }).valid).toBe(false);
    });
  });

  describe("error bodies", () => {
    const cases: [number, VaultSchemaName][] = [
      [400, "BadRequestResponse"],
      [401, "UnauthorizedResponse"],
      [402, "PaymentRequiredResponse"],
      [404, "NotFoundResponse"],
      [422, "UnprocessableResponse"],
      [500, "UnexpectedErrorResponse"],
    ];

    it.each(cases)("builds a %i body that matches %s", (status, schema) => {
      const body = apideckErrorBody(status, "why it failed");

      expect(body).toMatchObject({ status_code: status, detail: "why it failed" });
      expect(validateVaultSchema(schema, body)).toEqual({ valid: true, errors: [] });
    });

    it("flags an error body whose status_code is not a number", () => {
      expect(validateVaultSchema("UnauthorizedResponse", { status_code: "401" }).valid).toBe(false);
    });
  });
});
