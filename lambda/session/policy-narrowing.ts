import { ForbiddenRequestError } from "../errors/request-errors.ts";
import type { SessionPolicy, UnifiedApiId } from "./policy.ts";

/**
 * Limits a credential carries on top of the operator's policy (a broker key's allowed Unified
 * APIs and maximum session length). They can only narrow it. Example:
 * `{ "allowedUnifiedApis": ["crm"], "maxSessionLength": { "text": "30m", "seconds": 1800 } }`
 */
export interface PolicyLimits {
  readonly allowedUnifiedApis?: readonly string[] | undefined;
  readonly maxSessionLength?: { readonly text: string; readonly seconds: number } | undefined;
}

/**
 * The operator's policy narrowed by `limits`: the allowed APIs become the intersection (or the
 * key's list, when the operator allows all), the maximum session length the shorter of the two.
 * Everything else (locks, defaults, redirects, consumer rule) stays the operator's. An
 * intersection with nothing in it cannot be sent (Apideck reads an empty list as "all APIs"), so
 * it is a 403.
 */
export function narrowSessionPolicy(policy: SessionPolicy, limits: PolicyLimits): SessionPolicy {
  let allowedUnifiedApis = policy.allowedUnifiedApis;
  if (limits.allowedUnifiedApis !== undefined) {
    const keyApis = limits.allowedUnifiedApis as readonly UnifiedApiId[];
    allowedUnifiedApis =
      allowedUnifiedApis === undefined ? keyApis : allowedUnifiedApis.filter((api) => keyApis.includes(api));
    if (allowedUnifiedApis.length === 0) {
      throw new ForbiddenRequestError(
        "settings.unified_apis",
        "settings.unified_apis: this credential allows no Unified API that the operator allows.",
      );
    }
  }
  const keyMax = limits.maxSessionLength;
  const maxSessionLength =
    keyMax !== undefined && keyMax.seconds < policy.maxSessionLength.seconds
      ? keyMax
      : policy.maxSessionLength;
  return { ...policy, allowedUnifiedApis, maxSessionLength };
}
