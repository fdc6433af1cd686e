import * as z from "zod/mini";
import { checkConsumerId } from "./consumer-id.ts";
import { SessionValidationError } from "./errors/request-errors.ts";
import type { UnvalidatedSessionRequest } from "./http-session-request.ts";
import { toFieldProblems } from "./zod-problems.ts";

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

/** True for anything that is not an HTTP API event: direct invocations are plain JSON objects. */
export function isHttpApiEvent(event: unknown): boolean {
  const context = (event as { requestContext?: { http?: unknown } } | null)?.requestContext;
  return typeof context === "object" && context !== null && typeof context.http === "object";
}

/** Reads a direct invocation's payload; throws the same typed errors as the HTTP routes. */
export function sessionRequestFromInvocation(event: unknown): UnvalidatedSessionRequest {
  const parsed = InvocationPayloadSchema.safeParse(event, { reportInput: true });
  if (!parsed.success) throw new SessionValidationError(toFieldProblems(parsed.error.issues));
  return {
    consumerId: checkConsumerId(parsed.data.consumer_id, "consumer_id"),
    consumerIdField: "consumer_id",
    body: parsed.data.session,
  };
}
