import * as z from "zod/mini";
import {
  APP_ID_PATTERN,
  CLAIM_NAME_PATTERN,
  formatProblem,
  isWholeNumber,
  SECRET_ID_PATTERN,
  variable,
} from "./environment-variable.ts";
import { InvalidEnvironmentError } from "./errors/configuration-errors.ts";
import { toFieldProblems } from "./errors/field-problems.ts";
import type { SessionPolicy } from "./session/policy.ts";
import { PolicyEnvironmentSchema, toSessionPolicy } from "./session/policy-config.ts";
import { isApideckBaseUrl } from "./session/url-rules.ts";

/**
 * The function's environment, parsed once at cold start. Example:
 * `{ "APIDECK_APP_ID": "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX", "APIDECK_SECRET_ID": "vault-session-broker/apideck-api-key" }`
 */
export const EnvironmentSchema = z.object({
  APIDECK_APP_ID: variable("your Apideck Unify application id: 1 to 128 letters, digits, _ or -", (v) =>
    APP_ID_PATTERN.test(v),
  ),
  /** Secret name or ARN; the SDK accepts both for GetSecretValue. */
  APIDECK_SECRET_ID: variable(
    "the name or ARN of the secret holding the Apideck API key: 1 to 2048 letters, digits or / _ + = . @ : -",
    (v) => SECRET_ID_PATTERN.test(v),
  ),
  APIDECK_BASE_URL: z._default(
    // The API key travels as a bearer header: never in cleartext (http only to a loopback simulator).
    variable(
      "an https URL without credentials (http only to a loopback host), e.g. https://unify.apideck.com",
      isApideckBaseUrl,
    ),
    "https://unify.apideck.com",
  ),
  SECRET_CACHE_TTL_SECONDS: z._default(
    variable("a whole number of seconds from 0 to 86400", isWholeNumber(0, 86_400)),
    "300",
  ),
  /** Per attempt. The whole request also stays inside the Lambda's remaining time. */
  UPSTREAM_TIMEOUT_MS: z._default(
    variable("a whole number of milliseconds from 100 to 29000", isWholeNumber(100, 29_000)),
    "5000",
  ),
  CONSUMER_ID_CLAIM: z._default(
    variable("a JWT claim name: 1 to 128 letters, digits or _ : . / -", (v) => CLAIM_NAME_PATTERN.test(v)),
    "sub",
  ),
});

/** What the rest of the function reads; units are in the names. */
export interface BrokerConfig {
  readonly appId: string;
  readonly secretId: string;
  readonly apideckBaseUrl: string;
  readonly secretCacheTtlMs: number;
  readonly upstreamTimeoutMs: number;
  readonly consumerIdClaim: string;
  /** The operator's session policy (policy-config.ts). */
  readonly policy: SessionPolicy;
}

/**
 * Parses the environment into a `BrokerConfig`, or throws `InvalidEnvironmentError` naming every
 * invalid variable at once, each with its accepted form, so a misconfigured deploy fails at its
 * first cold start with the whole list. Whether `SESSION_DEFAULTS` agrees with the rest of the
 * policy is checked once every policy variable is valid on its own.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BrokerConfig {
  const parsed = EnvironmentSchema.safeParse(env, { reportInput: true });
  const parsedPolicy = PolicyEnvironmentSchema.safeParse(env, { reportInput: true });
  const problems = [parsed, parsedPolicy].flatMap((result) =>
    result.success ? [] : toFieldProblems(result.error.issues).map(formatProblem),
  );
  const policy = parsedPolicy.success ? toSessionPolicy(parsedPolicy.data) : [];
  if (Array.isArray(policy)) problems.push(...policy);
  if (!parsed.success || Array.isArray(policy) || problems.length > 0)
    throw new InvalidEnvironmentError(problems);
  const vars = parsed.data;
  return {
    appId: vars.APIDECK_APP_ID,
    secretId: vars.APIDECK_SECRET_ID,
    apideckBaseUrl: vars.APIDECK_BASE_URL.replace(/\/+$/, ""),
    secretCacheTtlMs: Number(vars.SECRET_CACHE_TTL_SECONDS) * 1000,
    upstreamTimeoutMs: Number(vars.UPSTREAM_TIMEOUT_MS),
    consumerIdClaim: vars.CONSUMER_ID_CLAIM,
    policy,
  };
}
