import { ForbiddenRequestError } from "../errors/request-errors.ts";

/** The operator's redirect allow-list. Empty means "any URL the URL rules accept" (url-rules.ts). */
export interface RedirectPolicy {
  /** Origins (`https://app.example.com`) or exact URLs (`https://app.example.com/done`). */
  readonly allowList: readonly string[];
}

/**
 * Checks a `redirect_uri` that already passed the URL rules (url-policy.ts) against the operator's
 * allow-list: a clean URL that is not on it is a 403 (acceptable, but not for this operator).
 */
export function checkRedirectAllowList(value: string, policy: RedirectPolicy): void {
  if (policy.allowList.length === 0) return;
  const url = new URL(value);
  if (!policy.allowList.some((rule) => matchesRule(url, rule))) {
    throw new ForbiddenRequestError("redirect_uri", "redirect_uri is not on the operator's allow-list.");
  }
}

/** An origin rule matches any path on that exact origin; a rule with a path matches that URL only. */
function matchesRule(url: URL, rule: string): boolean {
  const ruleUrl = new URL(rule);
  const isOrigin = /^https?:\/\/[^/?#]+\/?$/i.test(rule);
  return isOrigin ? url.origin === ruleUrl.origin : url.href === ruleUrl.href;
}
