import { readBrokerKeyContext } from "../broker-keys/key-context.ts";
import type { BrokerConfig } from "../config.ts";
import { ForbiddenRequestError } from "../errors/request-errors.ts";
import { isInConsumerScope } from "../session/consumer-scope.ts";
import { checkConsumerId } from "./consumer-id.ts";
import { checkAppIdHeader, type ParsedHttpEvent, type UnvalidatedSessionRequest } from "./http-request.ts";

/** The path of the broker-key route: the SDKs' `serverURL` is `<ApiEndpoint>/sdk`. */
export const BROKER_KEY_ROUTE = "POST /sdk/vault/sessions";

/**
 * Reads a `POST /sdk/vault/sessions` request, which API Gateway forwards only after the broker-key
 * authorizer allowed it: the consumer id from `x-apideck-consumer-id`, as on the IAM route, checked
 * against the key's scope (403 naming the header); the key's API and length limits, handed on to
 * narrow the policy. `x-apideck-app-id`, when sent (the SDKs do), must name this app, as on every route. The key is refused again here once it has expired, since API Gateway may
 * still hold the authorizer's "allowed" in its cache; so is a missing or unreadable context,
 * which only a hand-built (directly invoked) event can have.
 */
export function sessionRequestFromBrokerKey(
  event: ParsedHttpEvent,
  config: BrokerConfig,
  now: number,
): UnvalidatedSessionRequest {
  checkAppIdHeader(event, config);
  const authorizer = event.requestContext.authorizer as { lambda?: unknown } | undefined;
  const key = readBrokerKeyContext(authorizer?.lambda);
  if (key === undefined || (key.expiresAt !== undefined && key.expiresAt <= now)) {
    throw new ForbiddenRequestError("authorization", "The broker key is not valid.");
  }
  const consumerId = checkConsumerId(
    event.headers?.["x-apideck-consumer-id"],
    "x-apideck-consumer-id header",
  );
  if (!isInConsumerScope(key.scope, consumerId)) {
    throw new ForbiddenRequestError(
      "x-apideck-consumer-id",
      "x-apideck-consumer-id is outside the consumers this broker key may act for.",
    );
  }
  return {
    consumerId,
    consumerIdField: "x-apideck-consumer-id",
    body: event.body,
    policyLimits: { allowedUnifiedApis: key.allowedUnifiedApis, maxSessionLength: key.maxSessionLength },
    brokerKey: { id: key.keyId, name: key.keyName },
  };
}
