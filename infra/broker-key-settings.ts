// Settings of the broker-key route shared by the deployed stack (broker-keys.ts) and local mode
// (local/lambda-authorizer-route.ts), in a file without aws-cdk-lib, so both read the same values.

/** Path of the broker-key route: the SDKs' `serverURL` is `<ApiEndpoint>/sdk`. */
export const BROKER_KEY_ROUTE_PATH = "/sdk/vault/sessions";

/**
 * How long API Gateway caches the authorizer's answer for one `Authorization` value. A revoked key
 * keeps working for at most this long (an expired one does not: the function re-checks expiry);
 * a longer TTL saves authorizer invocations and table reads. HTTP APIs allow 0 to 3600 s.
 */
export const AUTHORIZER_CACHE_TTL_SECONDS = 60;

/**
 * API Gateway gives a Lambda authorizer this long before answering 500 itself ("Timeout for Lambda
 * authorizer response", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
export const AUTHORIZER_TIMEOUT_MS = 10_000;
