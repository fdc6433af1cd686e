import type { FieldProblem } from "../errors/broker-error.ts";
import { SessionValidationError } from "../errors/request-errors.ts";
import type { Session } from "./schema.ts";
import { type UrlRuleOptions, urlProblem } from "./url-rules.ts";

/** Every URL field of a `Session`, by its dotted path. */
export const SESSION_URL_PATHS = [
  "redirect_uri",
  "consumer_metadata.image",
  "theme.favicon",
  "theme.logo",
  "theme.privacy_url",
  "theme.terms_url",
] as const;

/**
 * Applies the full URL rule set, with the operator's options, to every URL field of the merged
 * session (the operator's defaults included). Throws `SessionValidationError` (422) naming each
 * field and the rule it breaks.
 */
export function checkSessionUrls(session: Session, options: UrlRuleOptions): void {
  const problems: FieldProblem[] = [];
  for (const path of SESSION_URL_PATHS) {
    const value = valueAt(session, path);
    const problem = typeof value === "string" ? urlProblem(value, options) : undefined;
    if (problem !== undefined) problems.push({ path, problem });
  }
  if (problems.length > 0) throw new SessionValidationError(problems);
}

function valueAt(session: Session, path: string): unknown {
  let node: unknown = session;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
