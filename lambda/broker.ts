import type { ApideckClient, UpstreamTrace } from "./apideck/client.ts";
import type { CreateSessionResponse } from "./apideck/response.ts";
import type { CallBudget } from "./deadline.ts";
import { UpstreamHttpError } from "./errors/upstream-errors.ts";
import type { ApiKeyReader } from "./secret/reader.ts";
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

/** Turns a validated request into a Vault session. Knows nothing of Middy or API Gateway. */
export interface SessionBroker {
  openSession(request: SessionRequest, budget: CallBudget, trace: UpstreamTrace): Promise<OpenedSession>;
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
      const apiKey = await apiKeys.getApiKey(budget.signal);
      let response: CreateSessionResponse;
      try {
        response = await call(apiKey, request, budget, trace);
      } catch (error) {
        if (!(error instanceof UpstreamHttpError && error.status === 401)) throw error;
        const freshKey = await apiKeys.refreshApiKey(budget.signal);
        // Same key as before: Apideck really rejects it, and asking again would not change that.
        if (freshKey === apiKey) throw error;
        response = await call(freshKey, request, budget, trace);
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
