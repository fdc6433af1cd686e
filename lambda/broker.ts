import type { ApideckClient, UpstreamTrace } from "./apideck/client.ts";
import type { CreateSessionResponse } from "./apideck/response.ts";
import type { CallBudget } from "./deadline.ts";
import { UpstreamHttpError } from "./errors/upstream-errors.ts";
import type { ApiKeyReader, SecretReadTrace } from "./secret/reader.ts";
import { sessionExpiresAt } from "./session/expiry.ts";
import type { Session } from "./session/schema.ts";

/** A validated request: who the session is for and what it contains. */
export interface SessionRequest {
  readonly consumerId: string;
  readonly session: Session;
}

/** Apideck's answer, unchanged, and when the session ends. */
export interface OpenedSession {
  readonly response: CreateSessionResponse;
  readonly expiresAt: Date;
}

/**
 * What the broker reports for the request log, also when it fails: how the key was got
 * (`secretRead`) and what the Apideck call cost (`upstream`). The request's RequestTrace is one.
 */
export interface BrokerTrace extends SecretReadTrace {
  readonly upstream: UpstreamTrace;
}

/** Turns a validated request into a Vault session. Knows nothing of Middy or API Gateway. */
export interface SessionBroker {
  openSession(request: SessionRequest, budget: CallBudget, trace: BrokerTrace): Promise<OpenedSession>;
}

/** Dependencies of the broker; all created once per Lambda instance. */
export interface SessionBrokerDependencies {
  readonly appId: string;
  readonly apiKeys: ApiKeyReader;
  readonly apideck: ApideckClient;
  readonly now?: () => number;
}

/**
 * Creates the broker. A 401 from Apideck means the key may have been rotated since it was cached:
 * the key is read again once, and the call repeated once if the key did change.
 */
export function createSessionBroker({
  appId,
  apiKeys,
  apideck,
  now = Date.now,
}: SessionBrokerDependencies): SessionBroker {
  const call = (apiKey: string, request: SessionRequest, budget: CallBudget, trace: UpstreamTrace) =>
    apideck.createSession(
      { apiKey, appId, consumerId: request.consumerId, session: request.session },
      budget,
      trace,
    );

  return {
    async openSession(request, budget, trace) {
      const apiKey = await apiKeys.getApiKey(budget.signal, trace);
      let response: CreateSessionResponse;
      try {
        response = await call(apiKey, request, budget, trace.upstream);
      } catch (error) {
        if (!(error instanceof UpstreamHttpError && error.status === 401)) throw error;
        // From here the trace says `refresh`, whether this read succeeds or fails.
        const freshKey = await apiKeys.refreshApiKey(budget.signal, trace);
        // Same key as before: Apideck really rejects it, and asking again would not change that.
        if (freshKey === apiKey) throw error;
        response = await call(freshKey, request, budget, trace.upstream);
      }
      const expiresAt = sessionExpiresAt(
        response.data.session_token,
        request.session.settings?.session_length,
        now(),
      );
      return { response, expiresAt };
    },
  };
}
