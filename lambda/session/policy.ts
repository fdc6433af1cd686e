import { ForbiddenRequestError } from "../errors/request-errors.ts";
import { type ConsumerScope, isInConsumerScope } from "./consumer-scope.ts";
import { DEFAULT_SESSION_LENGTH_SECONDS, parseSessionLength } from "./length.ts";
import { hasPath, mergeSessions, omitPaths } from "./merge.ts";
import { checkRedirectAllowList, type RedirectPolicy } from "./redirect-policy.ts";
import type { Session, UNIFIED_API_IDS } from "./schema.ts";
import { checkSessionUrls } from "./url-policy.ts";
import type { UrlRuleOptions } from "./url-rules.ts";

/** One of Apideck's `UnifiedApiId` values. */
export type UnifiedApiId = (typeof UNIFIED_API_IDS)[number];

/**
 * What the operator decides and no caller can widen: read from the environment at cold start
 * (policy-config.ts), applied to every request after schema validation, before any secret or
 * network work.
 */
export interface SessionPolicy {
  /** Merged under every request: the request wins, except on locked fields. */
  readonly defaults: Session;
  readonly redirect: RedirectPolicy;
  /** What the URL rules let through on every URL field (loopback http in local mode, punycode hosts). */
  readonly urls: UrlRuleOptions;
  /** Dotted paths a caller may not set, e.g. `settings.sandbox_mode` or `theme`. */
  readonly lockedFields: readonly string[];
  /** When set, sessions may only show these APIs (and show exactly these when none are asked for). */
  readonly allowedUnifiedApis: readonly UnifiedApiId[] | undefined;
  /** Longest session a caller may ask for, as given (`1h`) and in seconds. */
  readonly maxSessionLength: { readonly text: string; readonly seconds: number };
  /** Globs every consumer id must match in full, whatever the route; undefined: any valid id. */
  readonly consumerScope: ConsumerScope | undefined;
}

/**
 * Applies the policy to a schema-valid request. `serverDefaults` are values the service derived
 * itself (the JWT's email and name): they sit above the operator's defaults and below the request.
 * Throws `ForbiddenRequestError` (403) naming the field, or `SessionValidationError` (422).
 */
export function applySessionPolicy(
  requested: Session,
  policy: SessionPolicy,
  serverDefaults: Session = {},
): Session {
  for (const path of policy.lockedFields) {
    if (hasPath(requested, path)) {
      throw new ForbiddenRequestError(
        path,
        `${path} is set by the operator and may not be set by the caller.`,
      );
    }
  }
  // Claims fill unlocked fields only: a user who can edit their name at the identity provider must
  // not be able to override a value the operator locked.
  const fromServer = omitPaths(serverDefaults, policy.lockedFields);
  const session = mergeSessions(mergeSessions(policy.defaults, fromServer), requested);
  checkSessionUrls(session, policy.urls);
  if (session.redirect_uri !== undefined) checkRedirectAllowList(session.redirect_uri, policy.redirect);
  return limitSessionLength(limitUnifiedApis(session, policy), policy);
}

/**
 * Checks a consumer id against the operator's scope (globs, matched in linear time, so no id can
 * stall the function); throws 403 naming `field` when no glob matches.
 */
export function checkConsumerScope(consumerId: string, field: string, policy: SessionPolicy): void {
  if (policy.consumerScope && !isInConsumerScope(policy.consumerScope, consumerId)) {
    throw new ForbiddenRequestError(field, `${field} is outside the consumers this caller may act for.`);
  }
}

function limitUnifiedApis(session: Session, policy: SessionPolicy): Session {
  const allowed = policy.allowedUnifiedApis;
  if (allowed === undefined) return session;
  const asked = session.settings?.unified_apis ?? [];
  // Apideck reads an empty or missing list as "show every API": that is exactly what must not happen.
  if (asked.length === 0)
    return { ...session, settings: { ...session.settings, unified_apis: [...allowed] } };
  const refused = asked.filter((api) => !allowed.includes(api));
  if (refused.length > 0) {
    throw new ForbiddenRequestError(
      "settings.unified_apis",
      `settings.unified_apis may not include: ${refused.join(", ")}.`,
    );
  }
  return session;
}

function limitSessionLength(session: Session, policy: SessionPolicy): Session {
  const { text, seconds: maxSeconds } = policy.maxSessionLength;
  const asked = session.settings?.session_length;
  const askedSeconds =
    asked === undefined ? DEFAULT_SESSION_LENGTH_SECONDS : (parseSessionLength(asked) ?? Infinity);
  if (askedSeconds <= maxSeconds) return session;
  if (asked !== undefined) {
    throw new ForbiddenRequestError(
      "settings.session_length",
      `settings.session_length may be at most ${text}.`,
    );
  }
  // Nothing asked and Apideck's 1h default is above the operator's ceiling: ask for the ceiling.
  return { ...session, settings: { ...session.settings, session_length: text } };
}
