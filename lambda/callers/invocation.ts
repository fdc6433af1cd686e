import * as z from "zod/mini";
import type { OpenedSession } from "../broker.ts";
import { toFieldProblems } from "../errors/field-problems.ts";
import type { ErrorAnswer } from "../errors/mapping.ts";
import { PayloadTooLargeError, SessionValidationError } from "../errors/request-errors.ts";
import { runtimeError } from "../errors/runtime-error.ts";
import { exceedsDepth, exceedsJsonBytes, MAX_BODY_BYTES, MAX_JSON_DEPTH } from "../session/validation.ts";
import { checkConsumerId } from "./consumer-id.ts";
import type { UnvalidatedSessionRequest } from "./http-request.ts";

/**
 * The payload of a direct invocation (Step Functions, EventBridge, another Lambda).
 * Example: `{ "consumer_id": "account:12345", "session": { "redirect_uri": "https://app.example.com/done" } }`
 */
export const InvocationPayloadSchema = z.strictObject({
  // Optional here so that an absent id gets the same MissingConsumerIdError (400) as the HTTP routes.
  consumer_id: z.optional(z.unknown()),
  session: z.optional(z.unknown()),
});

/** The result of a direct invocation. Example: `{ "session_uri": "https://vault.apideck.com/session/eyJ...", "session_token": "eyJ...", "expires_at": "2026-11-22T14:00:00.000Z" }` */
export interface InvocationResult {
  readonly session_uri: string;
  readonly session_token: string;
  readonly expires_at: string;
}

/**
 * Reads a direct invocation's payload; throws the same typed errors as the HTTP routes, with the
 * same bounds: Lambda accepts payloads of megabytes, and every byte would otherwise go to Apideck.
 */
export function sessionRequestFromInvocation(event: unknown): UnvalidatedSessionRequest {
  // Depth first: both checks are iterative, but a shallow payload makes the size count cheap.
  // One level more than a body's bound, for the payload's own object around `session`.
  if (exceedsDepth(event, MAX_JSON_DEPTH + 1)) {
    throw new SessionValidationError([
      { path: "(payload)", problem: `must not nest deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
  if (exceedsJsonBytes(event, MAX_BODY_BYTES)) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const parsed = InvocationPayloadSchema.safeParse(event, { reportInput: true });
  if (!parsed.success) throw new SessionValidationError(toFieldProblems(parsed.error.issues));
  return {
    consumerId: checkConsumerId(parsed.data.consumer_id, "consumer_id"),
    consumerIdField: "consumer_id",
    body: parsed.data.session,
  };
}

/** What a direct invoker receives on success: the session and its end, nothing else. */
export function invocationResult(opened: OpenedSession): InvocationResult {
  return {
    session_uri: opened.response.data.session_uri,
    session_token: opened.response.data.session_token,
    expires_at: opened.expiresAt.toISOString(),
  };
}

/**
 * What a direct invoker receives on failure: an error named by the answer's type, the name Step
 * Functions catches by and the runtime logs (runtime-error.ts), with its stack stripped, since
 * Lambda returns `trace` to the invoker. No `cause`: the invoker sees the mapped answer only; the
 * original is logged.
 */
export function invocationError(answer: ErrorAnswer): Error {
  const detail = answer.detail === undefined ? "" : ` ${JSON.stringify(answer.detail)}`;
  const error = runtimeError(answer.typeName, `${answer.message}${detail}`);
  return Object.assign(error, { statusCode: answer.statusCode });
}
