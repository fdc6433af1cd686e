import { Duration } from "aws-cdk-lib";
import { commaSeparated } from "../lambda/environment-variable.ts";
import { parseSessionLength } from "../lambda/session/length.ts";
import type { UnifiedApiId } from "../lambda/session/policy.ts";
import type { Session } from "../lambda/session/schema.ts";
import { type PolicySettings, type PolicyVariable, policyProblems } from "./session-policy-environment.ts";

/** The session-policy context keys and the function variable each one sets. */
export const POLICY_CONTEXT_KEYS = {
  sessionDefaults: "SESSION_DEFAULTS",
  redirectAllowlist: "REDIRECT_ALLOWLIST",
  lockedFields: "LOCKED_FIELDS",
  allowedUnifiedApis: "ALLOWED_UNIFIED_APIS",
  maxSessionLength: "MAX_SESSION_LENGTH",
  consumerIdScope: "CONSUMER_ID_SCOPE",
} as const satisfies Record<string, PolicyVariable>;

/** A session-policy context key. */
export type PolicyContextKey = keyof typeof POLICY_CONTEXT_KEYS;

/** The session policy read from context, typed as the construct's `sessionPolicy` prop takes it. */
export interface ContextPolicy {
  readonly sessionDefaults?: Session;
  readonly redirectAllowlist?: string[];
  readonly lockedFields?: string[];
  readonly allowedUnifiedApis?: UnifiedApiId[];
  readonly maxSessionLength?: Duration;
  readonly consumerIdScope?: string[];
}

/** What `readContextPolicy` found: the typed policy, or every problem under its context key. */
export type ContextPolicyResult =
  | { readonly problems: readonly []; readonly policy: ContextPolicy }
  | { readonly problems: readonly string[]; readonly policy?: undefined };

// `-c` passes strings; cdk.json may hold JSON values. Either way the function reads text.
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(",");
  return JSON.stringify(value);
}

/**
 * Reads the policy keys through `get` and checks them with the function's own parser, so every
 * problem is reported under the context key the user typed (`maxSessionLength: ...`), with the
 * form the function accepts.
 */
export function readContextPolicy(get: (key: PolicyContextKey) => unknown): ContextPolicyResult {
  const text: Partial<Record<PolicyContextKey, string>> = {};
  const settings: PolicySettings = {};
  for (const [key, variable] of Object.entries(POLICY_CONTEXT_KEYS) as [PolicyContextKey, PolicyVariable][]) {
    const value = asText(get(key));
    if (value === undefined) continue;
    text[key] = value;
    settings[variable] = { value, name: key };
  }
  const problems = policyProblems(settings);
  if (problems.length > 0) return { problems };
  // The parser accepted every value: these conversions cannot fail.
  const seconds = text.maxSessionLength === undefined ? undefined : parseSessionLength(text.maxSessionLength);
  return {
    problems: [],
    policy: {
      sessionDefaults:
        text.sessionDefaults === undefined ? undefined : (JSON.parse(text.sessionDefaults) as Session),
      redirectAllowlist:
        text.redirectAllowlist === undefined ? undefined : commaSeparated(text.redirectAllowlist),
      lockedFields: text.lockedFields === undefined ? undefined : commaSeparated(text.lockedFields),
      allowedUnifiedApis:
        text.allowedUnifiedApis === undefined
          ? undefined
          : (commaSeparated(text.allowedUnifiedApis) as UnifiedApiId[]),
      maxSessionLength: seconds === undefined ? undefined : Duration.seconds(seconds),
      consumerIdScope: text.consumerIdScope === undefined ? undefined : commaSeparated(text.consumerIdScope),
    },
  };
}
