import { type Duration, Token } from "aws-cdk-lib";
import { EnvironmentSchema } from "../lambda/config.ts";
import { APP_ID_PATTERN, CLAIM_NAME_PATTERN } from "../lambda/environment-variable.ts";
import { MAX_SESSION_LENGTH_SECONDS } from "../lambda/session/length.ts";
import { isApideckBaseUrl } from "../lambda/session/url-rules.ts";
import { OAUTH_SCOPE, OAUTH_SCOPE_FORM } from "./http-api-routes.ts";
import {
  POLICY_VARIABLES,
  type PolicySettings,
  policyProblems,
  sessionLengthText,
} from "./session-policy-environment.ts";

/**
 * The session-policy props as `policySettings` reads them; `SessionPolicyProps` (the construct's,
 * typed with the function's `Session` and `UnifiedApiId`) fits this shape.
 */
export interface CheckedPolicyProps {
  readonly defaults?: object;
  readonly redirectAllowlist?: readonly string[];
  readonly lockedFields?: readonly string[];
  readonly allowedUnifiedApis?: readonly string[];
  readonly maxSessionLength?: Duration;
  readonly consumerIdScope?: readonly string[];
}

/** The props `brokerPropsProblems` checks, with the construct's defaults applied. */
export interface CheckedBrokerProps {
  readonly appId: string;
  readonly apideckBaseUrl?: string;
  readonly upstreamTimeout: Duration;
  readonly secretCacheTtl: Duration;
  /** The function's timeout, which one Apideck attempt must stay below. */
  readonly functionTimeout: Duration;
  readonly consumerIdClaim?: string;
  readonly jwtScopes?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly sessionPolicy?: CheckedPolicyProps;
}

// Variables the construct sets from its props (every variable the function parses): `environment`
// may not replace them.
const OWNED_VARIABLES: readonly string[] = [...Object.keys(EnvironmentSchema.shape), ...POLICY_VARIABLES];

const LOG_LEVEL_VARIABLES = ["AWS_LAMBDA_LOG_LEVEL", "POWERTOOLS_LOG_LEVEL", "LOG_LEVEL"];

/**
 * Every problem with the props, each under the prop's name with the form it accepts: the construct's
 * own rules, and the session policy through the function's parser (`policyProblems`).
 */
export function brokerPropsProblems(props: CheckedBrokerProps): string[] {
  const problems: string[] = [];
  const ms = props.upstreamTimeout.toMilliseconds({ integral: false });
  if (!(ms >= 100 && ms < props.functionTimeout.toMilliseconds())) {
    problems.push(
      `upstreamTimeout: must be at least 100 ms and below the ${props.functionTimeout.toSeconds()} s function timeout`,
    );
  }
  const ttlSeconds = props.secretCacheTtl.toSeconds({ integral: false });
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds >= 0 && ttlSeconds <= 86_400)) {
    problems.push("secretCacheTtl: must be a whole number of seconds, at most 1 day");
  }
  if (props.apideckBaseUrl !== undefined && !isSafeBaseUrl(props.apideckBaseUrl)) {
    problems.push(
      "apideckBaseUrl: must be an https URL without credentials, e.g. https://unify.apideck.com " +
        "(http only for a loopback host, in tests)",
    );
  }
  // Same rules as the function's APIDECK_APP_ID and CONSUMER_ID_CLAIM (lambda/config.ts).
  if (!Token.isUnresolved(props.appId) && !APP_ID_PATTERN.test(props.appId)) {
    problems.push("appId: must be 1 to 128 letters, digits, _ or -");
  }
  if (props.consumerIdClaim !== undefined && !CLAIM_NAME_PATTERN.test(props.consumerIdClaim)) {
    problems.push("consumerIdClaim: must be a claim name (1 to 128 letters, digits or _ : . / -)");
  }
  const badScopes = (props.jwtScopes ?? []).filter((scope) => !OAUTH_SCOPE.test(scope));
  if (badScopes.length > 0) {
    problems.push(`jwt.scopes: ${badScopes.map((s) => JSON.stringify(s)).join(", ")} ${OAUTH_SCOPE_FORM}`);
  }
  const maxLength = props.sessionPolicy?.maxSessionLength;
  if (maxLength && maxSessionLengthText(maxLength) === undefined) {
    problems.push("sessionPolicy.maxSessionLength: must be a whole number of seconds, at most 7 days");
  }
  const names = Object.keys(props.environment ?? {});
  const overridden = names.filter((name) => OWNED_VARIABLES.includes(name));
  if (overridden.length > 0) {
    problems.push(
      `environment: may not set ${overridden.join(", ")}; the construct sets them from its props`,
    );
  }
  // The level comes from Lambda (AWS_LAMBDA_LOG_LEVEL, which wins in the logger as in Powertools); a
  // variable would only seem to change it.
  const levels = names.filter((name) => LOG_LEVEL_VARIABLES.includes(name));
  if (levels.length > 0)
    problems.push(`environment: may not set ${levels.join(", ")}; use applicationLogLevel`);
  return [...problems, ...policyProblems(policySettings(props.sessionPolicy))];
}

/** The function's own rule (`APIDECK_BASE_URL`): https, or http to a loopback host; no credentials. */
function isSafeBaseUrl(text: string): boolean {
  return Token.isUnresolved(text) || isApideckBaseUrl(text);
}

/** `session_length` text of a usable maximum: whole seconds, 1 s to 7 days; else undefined. */
function maxSessionLengthText(duration: Duration): string | undefined {
  const text = sessionLengthText(duration);
  return text !== undefined && duration.toSeconds() <= MAX_SESSION_LENGTH_SECONDS ? text : undefined;
}

/** The typed policy props as the function's variables, each with the prop path the user typed. */
export function policySettings(policy: CheckedPolicyProps = {}): PolicySettings {
  const at = (prop: keyof CheckedPolicyProps, value: string | undefined) =>
    value === undefined ? undefined : { value, name: `sessionPolicy.${prop}` };
  const list = (prop: keyof CheckedPolicyProps, items: readonly string[] | undefined) =>
    at(prop, items?.join(","));
  const { defaults, maxSessionLength } = policy;
  return {
    SESSION_DEFAULTS: at(
      "defaults",
      defaults && Object.keys(defaults).length > 0 ? JSON.stringify(defaults) : undefined,
    ),
    REDIRECT_ALLOWLIST: list("redirectAllowlist", policy.redirectAllowlist),
    LOCKED_FIELDS: list("lockedFields", policy.lockedFields),
    ALLOWED_UNIFIED_APIS: list("allowedUnifiedApis", policy.allowedUnifiedApis),
    // An unusable duration is reported by brokerPropsProblems in Duration terms, and left out here.
    MAX_SESSION_LENGTH: at("maxSessionLength", maxSessionLength && maxSessionLengthText(maxSessionLength)),
    CONSUMER_ID_SCOPE: list("consumerIdScope", policy.consumerIdScope),
  };
}
