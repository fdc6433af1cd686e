import * as z from "zod/mini";
import { commaSeparated, variable } from "../environment-variable.ts";
import type { FieldProblem } from "../errors/broker-error.ts";
import { toFieldProblems } from "../errors/field-problems.ts";
import { SessionValidationError } from "../errors/request-errors.ts";
import { parseConsumerScope } from "./consumer-scope.ts";
import { isAllowedSessionLength, parseSessionLength } from "./length.ts";
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

/** Longest `SESSION_DEFAULTS` accepted; a full `Session` with every field is about 2 KB. */
const MAX_SESSION_DEFAULTS_LENGTH = 16_384;

const SESSION_DEFAULTS_FORM = 'JSON: a partial Session object, e.g. {"theme":{"vault_name":"Acme"}}';

/** What is wrong with `SESSION_DEFAULTS` on its own, each problem's path inside the Session. */
function sessionDefaultsProblems(text: string): FieldProblem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [{ path: "", problem: `must be ${SESSION_DEFAULTS_FORM}` }];
  }
  const parsed = SessionSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return [];
  return toFieldProblems(parsed.error.issues).map(({ path, problem }) =>
    path === "(body)"
      ? { path: "", problem: `must be ${SESSION_DEFAULTS_FORM} (${problem})` }
      : { path, problem },
  );
}

/** The policy's environment variables; all optional. Example: `{ "LOCKED_FIELDS": "theme,settings.sandbox_mode", "MAX_SESSION_LENGTH": "30m" }` */
export const PolicyEnvironmentSchema = z.object({
  SESSION_DEFAULTS: z.optional(
    z.string().check(
      z.maxLength(MAX_SESSION_DEFAULTS_LENGTH, {
        error: `must be at most ${MAX_SESSION_DEFAULTS_LENGTH} characters of JSON`,
        abort: true,
      }),
      // Checked here, with the other variables, so one start names every problem at once.
      z.superRefine((text, ctx) => {
        for (const { path, problem } of sessionDefaultsProblems(text))
          ctx.addIssue({ code: "custom", message: problem, path: path ? [path] : [], input: text });
      }),
    ),
  ),
  REDIRECT_ALLOWLIST: z.optional(
    variable(
      "comma-separated absolute http(s) origins or exact URLs, e.g. https://app.example.com,https://admin.example.com/done",
      (v) => commaSeparated(v).every(isHttpUrl),
    ),
  ),
  LOCKED_FIELDS: z.optional(
    variable("comma-separated Session fields, e.g. theme,settings.sandbox_mode", (v) =>
      commaSeparated(v).every((p) => LOCKABLE_PATHS.includes(p)),
    ),
  ),
  ALLOWED_UNIFIED_APIS: z.optional(
    variable(
      // An empty list would reach Apideck as `unified_apis: []`, which means "show every API".
      `comma-separated Unified API ids, at least one of: ${UNIFIED_API_IDS.join(", ")}`,
      (v) =>
        commaSeparated(v).length > 0 &&
        commaSeparated(v).every((api) => (UNIFIED_API_IDS as readonly string[]).includes(api)),
    ),
  ),
  MAX_SESSION_LENGTH: z._default(
    variable("a duration like 30m, 1h or 7d (s, m, h or d), at most 7d", isAllowedSessionLength),
    "1h",
  ),
  /** Comma-separated globs (`tenant-a:*,demo`), matched in linear time: see consumer-scope.ts. */
  CONSUMER_ID_SCOPE: z.optional(
    z.string().check(
      z.superRefine((value, ctx) => {
        const parsed = parseConsumerScope(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem, input: value });
      }),
    ),
  ),
  // The regular expression this variable held could backtrack for minutes on a 30-character id
  // (ReDoS); a deploy that still sets it must fail loudly rather than run unscoped.
  CONSUMER_ID_PATTERN: z.optional(
    z
      .string()
      .check(
        z.refine(
          () => false,
          "is no longer read: it was replaced by CONSUMER_ID_SCOPE (comma-separated globs, * matches any run of characters), e.g. tenant-a:*",
        ),
      ),
  ),
  ALLOW_HTTP_LOOPBACK_REDIRECTS: z._default(z.enum(["true", "false"]), "false"),
  /** Punycode (`xn--`) labels in session URLs' hosts: look-alikes of Latin names, off unless needed. */
  ALLOW_PUNYCODE_HOSTS: z._default(z.enum(["true", "false"]), "false"),
});

/**
 * Builds the `SessionPolicy` from variables that passed `PolicyEnvironmentSchema`. Returns the
 * problems instead (in config's one format, `NAME must be ...`) when `SESSION_DEFAULTS` breaks the
 * policy the other variables set.
 */
export function toSessionPolicy(vars: z.infer<typeof PolicyEnvironmentSchema>): SessionPolicy | string[] {
  const redirect = { allowList: commaSeparated(vars.REDIRECT_ALLOWLIST) };
  const urls = {
    allowLoopbackHttp: vars.ALLOW_HTTP_LOOPBACK_REDIRECTS === "true",
    allowPunycode: vars.ALLOW_PUNYCODE_HOSTS === "true",
  };
  // The schema checked the JSON and the Session; this parse only gives the value its type.
  const parsed = SessionSchema.safeParse(JSON.parse(vars.SESSION_DEFAULTS ?? "{}"));
  if (!parsed.success) return [`SESSION_DEFAULTS must be ${SESSION_DEFAULTS_FORM}`];
  const scope = vars.CONSUMER_ID_SCOPE === undefined ? undefined : parseConsumerScope(vars.CONSUMER_ID_SCOPE);
  const policy: SessionPolicy = {
    defaults: parsed.data,
    redirect,
    urls,
    lockedFields: commaSeparated(vars.LOCKED_FIELDS),
    allowedUnifiedApis: vars.ALLOWED_UNIFIED_APIS
      ? (commaSeparated(vars.ALLOWED_UNIFIED_APIS) as UnifiedApiId[])
      : undefined,
    maxSessionLength: {
      text: vars.MAX_SESSION_LENGTH,
      seconds: parseSessionLength(vars.MAX_SESSION_LENGTH) ?? 3600,
    },
    consumerScope: scope?.ok ? scope.scope : undefined,
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
