/**
 * Base class of every error this service raises on purpose. Its `name` is the class name, so a
 * Step Functions `Catch` can match it by name after a direct invocation, and its message never
 * contains a secret (API key, session token, session URL, Authorization header).
 */
export abstract class BrokerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A field-level problem with the caller's request: `path` is dotted (`settings.session_length`). */
export interface FieldProblem {
  readonly path: string;
  readonly problem: string;
}
