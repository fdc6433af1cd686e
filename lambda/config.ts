import * as z from "zod/mini";
import { InvalidEnvironmentError } from "./errors/configuration-errors.ts";
import { toFieldProblems } from "./errors/field-problems.ts";
import type { SessionPolicy } from "./session/policy.ts";
import { PolicyEnvironmentSchema, toSessionPolicy } from "./session/policy-config.ts";
import { isHttpUrl } from "./session/url-rules.ts";

const integerString = (min: number, max: number) =>
  z.string().check(
    // abort: a value that is not a number need not also be told it is out of range.
    z.regex(/^\d+$/, { error: "must be a whole number", abort: true }),
    z.refine((value) => Number(value) >= min && Number(value) <= max, `must be between ${min} and ${max}`),
  );

/**
 * The function's environment, parsed once at cold start. Example:
 * `{ "APIDECK_APP_ID": "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX", "APIDECK_SECRET_ID": "vault-session-broker/apideck-api-key" }`
 */
export const EnvironmentSchema = z.object({
  APIDECK_APP_ID: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\w-]+$/)),
  /** Secret name or ARN; the SDK accepts both for GetSecretValue. */
  APIDECK_SECRET_ID: z.string().check(z.minLength(1), z.maxLength(2048), z.regex(/^[\w/+=.@:-]+$/)),
  APIDECK_BASE_URL: z._default(
    z.string().check(z.refine(isHttpUrl, "must be an absolute http(s) URL")),
    "https://unify.apideck.com",
  ),
  SECRET_CACHE_TTL_SECONDS: z._default(integerString(0, 86_400), "300"),
  /** Per attempt. The whole request also stays inside the Lambda's remaining time. */
  UPSTREAM_TIMEOUT_MS: z._default(integerString(100, 29_000), "5000"),
  CONSUMER_ID_CLAIM: z._default(z.string().check(z.regex(/^[\w:./-]{1,128}$/)), "sub"),
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
 * invalid variable at once, so a misconfigured deploy fails at its first cold start, loudly.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BrokerConfig {
  const parsed = EnvironmentSchema.safeParse(env, { reportInput: true });
  const parsedPolicy = PolicyEnvironmentSchema.safeParse(env, { reportInput: true });
  const problems = [parsed, parsedPolicy].flatMap((result) =>
    result.success ? [] : toFieldProblems(result.error.issues).map((p) => `${p.path} ${p.problem}`),
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
