import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parse } from "yaml";

/** Result of checking a value against a schema of Apideck's published Vault spec. */
export type ContractResult = { valid: boolean; errors: string[] };

/** Names of the `components/schemas` entries this project checks against. */
export type VaultSchemaName =
  | "Session"
  | "CreateSessionResponse"
  | "BadRequestResponse"
  | "UnauthorizedResponse"
  | "PaymentRequiredResponse"
  | "NotFoundResponse"
  | "UnprocessableResponse"
  | "UnexpectedErrorResponse";

// The vendored copy sits next to this module so a clone without ../shared still works.
const specUrl = new URL("./vault-spec.yml", import.meta.url);
const specId = "https://unify.apideck.com/vault-spec.yml";

type VaultSpec = { info: { version: string }; components: { schemas: Record<string, unknown> } };

// Parsed once at import: the spec is 200 kB of YAML and every simulated request is validated.
// YAML anchors (`&ref_6` / `*ref_6`) are resolved by `yaml` into plain JSON values.
const spec = parse(readFileSync(specUrl, "utf8"), { maxAliasCount: -1 }) as VaultSpec;

// OpenAPI 3.0 schemas are draft-07 plus extra keywords (`example`, `x-*`, `discriminator`, ...).
// `strict: false` makes ajv ignore those instead of failing; `nullable` is understood natively.
// Only `components` is registered, under an $id, so the spec's own `#/components/schemas/...`
// refs resolve against it and nothing is hand-copied. Schemas compile lazily, on first use.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: specId, components: spec.components });

const compiled = new Map<VaultSchemaName, ValidateFunction>();

/** Version of the vendored spec (`info.version`), for logs and drift checks. */
export const vaultSpecVersion: string = spec.info.version;

/** Validates `body` against the named schema of the vendored Vault spec, listing every violation. */
export function validateVaultSchema(name: VaultSchemaName, body: unknown): ContractResult {
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `${specId}#/components/schemas/${name}` });
    compiled.set(name, validate);
  }
  const valid = validate(body);
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(formatError) };
}

/** Validates a `POST /vault/sessions` request body against the spec's `Session` schema. */
export function validateSessionRequest(body: unknown): ContractResult {
  return validateVaultSchema("Session", body);
}

/** Validates a `POST /vault/sessions` 200 body against the spec's `CreateSessionResponse` schema. */
export function validateCreateSessionResponse(body: unknown): ContractResult {
  return validateVaultSchema("CreateSessionResponse", body);
}

function formatError(error: ErrorObject): string {
  const where = `body${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replaceAll("/", ".")}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    return `${where} must NOT have additional property '${String(params.additionalProperty)}'`;
  }
  if (error.keyword === "enum") {
    return `${where} must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
  }
  return `${where} ${error.message ?? "is invalid"}`;
}
