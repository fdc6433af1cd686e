import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { BrokerConfig } from "../config.ts";
import { ForbiddenRequestError, RepeatedHeaderError, RouteNotFoundError } from "../errors/request-errors.ts";
import type { Route } from "../request-context.ts";
import type { PolicyLimits } from "../session/policy-narrowing.ts";
import { ConsumerMetadataSchema, type Session } from "../session/schema.ts";
import { checkConsumerId } from "./consumer-id.ts";

/** An HTTP API (payload 2.0) event after `httpJsonBody` replaced `body` with the parsed JSON. */
export type ParsedHttpEvent = Omit<APIGatewayProxyEventV2, "body"> & {
  body?: unknown;
  requestContext: APIGatewayProxyEventV2["requestContext"] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
};

/** Who the session is for, the still unvalidated `Session` body, and what the service derived itself. */
export interface UnvalidatedSessionRequest {
  readonly consumerId: string;
  /** Where the consumer id came from, as errors about it name it (`x-apideck-consumer-id`, `consumer_id`, ...). */
  readonly consumerIdField: string;
  readonly body: unknown;
  /** Values from verified claims, merged under the request (never over it). */
  readonly serverDefaults?: Session;
  /** Limits of the caller's credential (a broker key) that narrow the operator's policy. */
  readonly policyLimits?: PolicyLimits;
  /** The broker key that authorized the request, for the log line. */
  readonly brokerKey?: { readonly id: string; readonly name: string };
}

/** Refuses an `x-apideck-app-id` header naming another app (403); absent is fine. */
export function checkAppIdHeader(event: ParsedHttpEvent, config: BrokerConfig): void {
  const appId = event.headers?.["x-apideck-app-id"];
  if (appId !== undefined && appId !== config.appId) {
    throw new ForbiddenRequestError(
      "x-apideck-app-id",
      "x-apideck-app-id does not match the application this service serves.",
    );
  }
}

/**
 * Reads the consumer id and body of an HTTP request, by route:
 * - `POST /vault/sessions` (IAM-authorized backends): the `x-apideck-consumer-id` header, as Apideck takes it.
 * - `POST /sessions` (JWT-authorized apps): the verified claim only; a header naming someone else is 403,
 *   an `email` claim names the consumer only with `email_verified` true, and the `email` and `name`
 *   claims fill `consumer_metadata` where the body leaves it empty.
 * On both, an `x-apideck-app-id` header must name this service's app.
 */
export function sessionRequestFromHttp(
  event: ParsedHttpEvent,
  route: Route,
  config: BrokerConfig,
): UnvalidatedSessionRequest {
  const headers = event.headers ?? {};
  checkAppIdHeader(event, config);
  const headerConsumerId = headers["x-apideck-consumer-id"];
  // ", " is how API Gateway (and the local gateway) join a repeated header; a lone comma is
  // refused by checkConsumerId on every route.
  if (headerConsumerId?.includes(", ")) throw new RepeatedHeaderError("x-apideck-consumer-id");
  if (route === "POST /vault/sessions") {
    return {
      consumerId: checkConsumerId(headerConsumerId, "x-apideck-consumer-id header"),
      consumerIdField: "x-apideck-consumer-id",
      body: event.body,
    };
  }
  if (route !== "POST /sessions") throw new RouteNotFoundError();

  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const consumerIdField = `the token's ${config.consumerIdClaim} claim`;
  const consumerId = checkConsumerId(claims[config.consumerIdClaim], consumerIdField);
  // Most identity providers let a user type any address before proving it: an unverified e-mail
  // must not name a consumer. API Gateway passes every claim as a string ("true"), a hand-made
  // event or another gateway may pass the boolean.
  if (
    config.consumerIdClaim === "email" &&
    claims.email_verified !== true &&
    claims.email_verified !== "true"
  ) {
    throw new ForbiddenRequestError(
      "the token's email_verified claim",
      "The token's email_verified claim must be true when its email names the consumer.",
    );
  }
  if (headerConsumerId !== undefined && headerConsumerId !== consumerId) {
    throw new ForbiddenRequestError(
      "x-apideck-consumer-id",
      "x-apideck-consumer-id does not match the consumer in the token; omit the header on this route.",
    );
  }
  return { consumerId, consumerIdField, body: event.body, serverDefaults: claimDefaults(claims) };
}

/**
 * `consumer_metadata.email` and `user_name` from the token's `email` and `name` claims, each kept
 * only if it is valid there, so an odd identity provider cannot turn a good request into a 422.
 */
function claimDefaults(claims: Record<string, unknown>): Session {
  const email = ConsumerMetadataSchema.safeParse({ email: claims.email });
  const name = ConsumerMetadataSchema.safeParse({ user_name: claims.name });
  return { consumer_metadata: { ...(email.success ? email.data : {}), ...(name.success ? name.data : {}) } };
}
