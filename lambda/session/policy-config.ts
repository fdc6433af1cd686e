import * as z from "zod/mini";
import { toFieldProblems } from "../errors/field-problems.ts";
import { SessionValidationError } from "../errors/request-errors.ts";
import { MAX_SESSION_LENGTH_SECONDS, parseSessionLength } from "./length.ts";
import { applySessionPolicy, type SessionPolicy, type UnifiedApiId } from "./policy.ts";
import { SessionSchema, UNIFIED_API_IDS } from "./schema.ts";
import { isHttpUrl } from "./url-rules.ts";

/** Paths a lock may name: every field of `Session`, at the top level or one level down. */
export const LOCKABLE_PATHS: readonly string[] = [
  ...Object.keys(SessionSchema.shape),
  ...(["consumer_metadata", "settings", "theme"] as const).flatMap((key) =>
    Object.keys(SessionSchema.shape[key].def.innerType.shape).map((field) => `${key}.${field}`),
  ),
];

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const isRegExp = (source: string) => {
  try {
    new RegExp(source, "u");
    return true;
  } catch {
    return false;
  }
};

/** The policy's environment variables; all optional. Example: `{ "LOCKED_FIELDS": "theme,settings.sandbox_mode", "MAX_SESSION_LENGTH": "30m" }` */
export const PolicyEnvironmentSchema = z.object({
  SESSION_DEFAULTS: z.optional(z.string().check(z.maxLength(16_384))),
  REDIRECT_ALLOWLIST: z.optional(
    z
      .string()
      .check(
        z.refine((v) => list(v).every(isHttpUrl), "must be comma-separated absolute http(s) URLs or origins"),
      ),
  ),
  LOCKED_FIELDS: z.optional(
    z
      .string()
      .check(
        z.refine(
          (v) => list(v).every((p) => LOCKABLE_PATHS.includes(p)),
          "must name Session fields, e.g. theme,settings.sandbox_mode",
        ),
      ),
  ),
  ALLOWED_UNIFIED_APIS: z.optional(
    z.string().check(
      z.refine(
        (v) =>
          list(v).length > 0 && list(v).every((api) => (UNIFIED_API_IDS as readonly string[]).includes(api)),
        // An empty list would reach Apideck as `unified_apis: []`, which means "show every API".
        "must be comma-separated Unified API ids (at least one)",
      ),
    ),
  ),
  MAX_SESSION_LENGTH: z._default(
    z
      .string()
      .check(
        z.refine(
          (v) => (parseSessionLength(v) ?? Infinity) <= MAX_SESSION_LENGTH_SECONDS,
          "must be a duration like 30m, 1h or 7d, at most 7d",
        ),
      ),
    "1h",
  ),
  CONSUMER_ID_PATTERN: z.optional(
    z.string().check(z.maxLength(512), z.refine(isRegExp, "must be a valid regular expression")),
  ),
  ALLOW_HTTP_LOOPBACK_REDIRECTS: z._default(z.enum(["true", "false"]), "false"),
});

/**
 * Builds the `SessionPolicy` from already schema-checked variables. Returns the problems instead
 * when `SESSION_DEFAULTS` is not a valid `Session` or breaks the policy itself.
 */
export function toSessionPolicy(vars: z.infer<typeof PolicyEnvironmentSchema>): SessionPolicy | string[] {
  const redirect = {
    allowList: list(vars.REDIRECT_ALLOWLIST),
    allowLoopbackHttp: vars.ALLOW_HTTP_LOOPBACK_REDIRECTS === "true",
  };
  let defaults: unknown = {};
  try {
    defaults = JSON.parse(vars.SESSION_DEFAULTS ?? "{}");
  } catch {
    return ["SESSION_DEFAULTS must be JSON"];
  }
  const parsed = SessionSchema.safeParse(defaults, { reportInput: true });
  if (!parsed.success)
    return toFieldProblems(parsed.error.issues, "SESSION_DEFAULTS").map((p) => `${p.path} ${p.problem}`);
  const pattern = vars.CONSUMER_ID_PATTERN;
  const policy: SessionPolicy = {
    defaults: parsed.data,
    redirect,
    lockedFields: list(vars.LOCKED_FIELDS),
    allowedUnifiedApis: vars.ALLOWED_UNIFIED_APIS
      ? (list(vars.ALLOWED_UNIFIED_APIS) as UnifiedApiId[])
      : undefined,
    maxSessionLength: {
      text: vars.MAX_SESSION_LENGTH,
      seconds: parseSessionLength(vars.MAX_SESSION_LENGTH) ?? 3600,
    },
    consumerIdPattern: pattern ? new RegExp(`^(?:${pattern})$`, "u") : undefined,
  };
  // The defaults must pass the policy on their own: otherwise every request that leaves a field to
  // the defaults would get a 403 about a field its caller never sent.
  try {
    applySessionPolicy({}, policy);
  } catch (error) {
    const problems = error instanceof SessionValidationError ? error.problems : [];
    const why = problems.map((p) => `${p.path} ${p.problem}`).join("; ") || (error as Error).message;
    return [`SESSION_DEFAULTS conflicts with the policy: ${why}`];
  }
  return policy;
}
