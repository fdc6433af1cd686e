/**
 * Base class of every error this service raises on purpose. Each concrete class sets `name` to a
 * string literal (never `new.target.name`: the deployed bundle is minified, which renames
 * classes), so logs and a Step Functions `Catch` see the same name after minification. Its
 * message never contains a secret (API key, session token, session URL, Authorization header).
 */
export abstract class BrokerError extends Error {
  override name = "BrokerError";
}

/** A field-level problem with the caller's request: `path` is dotted (`settings.session_length`). */
export interface FieldProblem {
  readonly path: string;
  readonly problem: string;
}
