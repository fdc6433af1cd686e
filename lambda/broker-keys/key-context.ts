import * as z from "zod/mini";
import { type ConsumerScope, parseConsumerScope } from "../session/consumer-scope.ts";
import { parseSessionLength } from "../session/length.ts";
import type { BrokerKeyRecord } from "./key-record.ts";

/**
 * What the authorizer hands the function for an allowed key, as the `context` of its simple
 * response (API Gateway passes it on as `requestContext.authorizer.lambda`; values must be
 * strings, numbers or booleans, so lists are comma-separated and "" means "not set"). It is
 * cached with the decision for the authorizer's TTL. Example:
 * `{ "keyId": "k3x7q2mfa9bd", "keyName": "acme-heroku-prod", "consumerScope": "tenant-a:*",
 *    "allowedUnifiedApis": "crm,hris", "maxSessionLength": "30m", "expiresAt": "2027-11-22T10:00:00.000Z" }`
 */
export const BrokerKeyContextSchema = z.object({
  keyId: z.string().check(z.minLength(1)),
  keyName: z.string().check(z.minLength(1)),
  consumerScope: z.string(),
  allowedUnifiedApis: z.string(),
  maxSessionLength: z.string(),
  expiresAt: z.string(),
});

/** The authorizer context, as sent. */
export type BrokerKeyContext = z.infer<typeof BrokerKeyContextSchema>;

/** The key's limits as the function applies them. */
export interface BrokerKeyLimits {
  readonly keyId: string;
  readonly keyName: string;
  readonly scope: ConsumerScope;
  /** Narrows the operator's list; undefined when the key does not narrow it. */
  readonly allowedUnifiedApis: readonly string[] | undefined;
  readonly maxSessionLength: { readonly text: string; readonly seconds: number } | undefined;
  /** Epoch ms; the function refuses the key from then on even while API Gateway still caches it. */
  readonly expiresAt: number | undefined;
}

/** Builds the authorizer's context for an allowed key. */
export function toBrokerKeyContext(record: BrokerKeyRecord): BrokerKeyContext {
  return {
    keyId: record.id,
    keyName: record.name,
    consumerScope: record.consumer_scope.join(","),
    allowedUnifiedApis: record.allowed_unified_apis?.join(",") ?? "",
    maxSessionLength: record.max_session_length ?? "",
    expiresAt: record.expires_at ?? "",
  };
}

/**
 * Reads the context back in the function; undefined when it is missing or unreadable, which the
 * function answers as a refused key (only a hand-built event can carry a broken context).
 */
export function readBrokerKeyContext(raw: unknown): BrokerKeyLimits | undefined {
  const parsed = BrokerKeyContextSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const context = parsed.data;
  const scope = parseConsumerScope(context.consumerScope);
  const seconds = context.maxSessionLength ? parseSessionLength(context.maxSessionLength) : undefined;
  const expiresAt = context.expiresAt ? Date.parse(context.expiresAt) : undefined;
  if (!scope.ok || (context.maxSessionLength && seconds === undefined) || Number.isNaN(expiresAt))
    return undefined;
  return {
    keyId: context.keyId,
    keyName: context.keyName,
    scope: scope.scope,
    allowedUnifiedApis: context.allowedUnifiedApis ? context.allowedUnifiedApis.split(",") : undefined,
    maxSessionLength: seconds === undefined ? undefined : { text: context.maxSessionLength, seconds },
    expiresAt,
  };
}
