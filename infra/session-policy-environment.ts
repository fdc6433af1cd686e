import type { Duration } from "aws-cdk-lib";
import { toFieldProblems } from "../lambda/errors/field-problems.ts";
import { PolicyEnvironmentSchema, toSessionPolicy } from "../lambda/session/policy-config.ts";

/** The function's session-policy variables (README "Session policy"), in the order problems are reported. */
export const POLICY_VARIABLES = [
  "SESSION_DEFAULTS",
  "REDIRECT_ALLOWLIST",
  "LOCKED_FIELDS",
  "ALLOWED_UNIFIED_APIS",
  "MAX_SESSION_LENGTH",
  "CONSUMER_ID_SCOPE",
] as const;

/** One of the function's session-policy variables. */
export type PolicyVariable = (typeof POLICY_VARIABLES)[number];

/** A policy value as the function reads it, and the name the user set it by (a prop path or a context key). */
export interface PolicySetting {
  readonly value: string;
  readonly name: string;
}

/** The policy settings that are set, by the variable the function reads them from. */
export type PolicySettings = Partial<Record<PolicyVariable, PolicySetting>>;

const VARIABLE_NAMES = new RegExp(`\\b(${POLICY_VARIABLES.join("|")})\\b`, "g");
// "SESSION_DEFAULTS.theme.colour is not a known field": the variable, a path into it, the problem.
const LEADING_VARIABLE = new RegExp(`^(${POLICY_VARIABLES.join("|")})((?:[.[]\\S*)?) (.*)$`, "s");

/** The function's environment for these settings: one variable per setting, nothing else. */
export function policyEnvironment(settings: PolicySettings): Record<string, string> {
  return Object.fromEntries(
    POLICY_VARIABLES.flatMap((variable) => {
      const setting = settings[variable];
      return setting ? [[variable, setting.value]] : [];
    }),
  );
}

/**
 * Checks the settings with the function's own parser (lambda/session/policy-config.ts), so that a policy
 * `cdk synth` accepts is one the function accepts at cold start. Returns every problem, each under
 * the name the user typed (`maxSessionLength: ...`, `sessionPolicy.lockedFields: ...`), never under
 * the variable name; empty when the function would accept them.
 */
export function policyProblems(settings: PolicySettings): string[] {
  const nameOf = (variable: string) => settings[variable as PolicyVariable]?.name ?? variable;
  const rename = (text: string) => text.replace(VARIABLE_NAMES, nameOf);
  // The parser's own messages lead with the variable; ours lead with the name and a colon.
  const restate = (text: string) =>
    rename(
      text.replace(
        LEADING_VARIABLE,
        (_, variable, path, problem) => `${nameOf(variable)}${path}: ${problem}`,
      ),
    );
  const environment = policyEnvironment(settings);
  const parsed = PolicyEnvironmentSchema.safeParse(environment, { reportInput: true });
  const formProblems = parsed.success
    ? []
    : toFieldProblems(parsed.error.issues).map((p) => `${rename(p.path)}: ${p.problem}`);
  // The parser checks SESSION_DEFAULTS against the policy only once every variable has the right
  // form; checking the rest without the malformed ones reports every problem in one synth.
  const malformed = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[0])));
  const rest =
    malformed.size === 0
      ? parsed
      : PolicyEnvironmentSchema.safeParse(
          Object.fromEntries(Object.entries(environment).filter(([variable]) => !malformed.has(variable))),
        );
  const policy = rest.success ? toSessionPolicy(rest.data) : [];
  return [...formProblems, ...(Array.isArray(policy) ? policy.map(restate) : [])];
}

const LENGTH_UNITS = [
  ["d", 86_400],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
] as const;

/**
 * A duration in the function's `session_length` form (`30m`, `1h`, `7d`), in the largest unit that
 * divides it; undefined when it is not a whole, positive number of seconds.
 */
export function sessionLengthText(duration: Duration): string | undefined {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1) return undefined;
  const [unit, size] = LENGTH_UNITS.find(([, size]) => seconds % size === 0) ?? ["s", 1];
  return `${seconds / size}${unit}`;
}
