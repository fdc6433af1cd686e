import { PolicyEnvironmentSchema, toSessionPolicy } from "../lambda/session/policy-config.ts";

/**
 * The operator's session policy, as construct props. Each becomes one of the function's policy
 * variables (README "Session policy"); all are optional.
 */
export interface SessionPolicyProps {
  /** A partial Apideck `Session` merged under every request (typically `theme` and `settings`). @default {} */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Origins or exact URLs `redirect_uri` must match. @default - any https URL */
  readonly redirectAllowList?: readonly string[];
  /** `Session` fields callers may not set, e.g. `theme`, `settings.sandbox_mode`. @default - none */
  readonly lockedFields?: readonly string[];
  /** Unified APIs sessions may show. @default - all */
  readonly allowedUnifiedApis?: readonly string[];
  /** Longest `session_length` a caller may ask for. @default "1h" */
  readonly maxSessionLength?: string;
  /** Regular expression that consumer ids from AWS callers must match in full. @default - any valid id */
  readonly consumerIdPattern?: string;
}

/**
 * Turns the policy props into the function's environment variables, checked here with the
 * function's own parser (lambda/policy-config.ts), so a bad policy fails `cdk synth` instead of
 * the first cold start.
 */
export function sessionPolicyEnvironment(policy: SessionPolicyProps = {}): Record<string, string> {
  const entries: [string, string | undefined][] = [
    [
      "SESSION_DEFAULTS",
      policy.defaults && Object.keys(policy.defaults).length > 0
        ? JSON.stringify(policy.defaults)
        : undefined,
    ],
    ["REDIRECT_ALLOWLIST", policy.redirectAllowList?.join(",")],
    ["LOCKED_FIELDS", policy.lockedFields?.join(",")],
    ["ALLOWED_UNIFIED_APIS", policy.allowedUnifiedApis?.join(",")],
    ["MAX_SESSION_LENGTH", policy.maxSessionLength],
    ["CONSUMER_ID_PATTERN", policy.consumerIdPattern],
  ];
  const environment = Object.fromEntries(entries.filter((entry): entry is [string, string] => !!entry[1]));
  const parsed = PolicyEnvironmentSchema.safeParse(environment);
  const problems = parsed.success
    ? [toSessionPolicy(parsed.data)].filter(Array.isArray).flat()
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  if (problems.length > 0) throw new Error(`Invalid session policy: ${problems.join("; ")}`);
  return environment;
}
