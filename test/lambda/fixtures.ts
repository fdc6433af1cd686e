import type {
  APIGatewayProxyEventV2WithIAMAuthorizer,
  APIGatewayProxyEventV2WithJWTAuthorizer,
} from "aws-lambda";
import { type BrokerConfig, loadConfig } from "../../lambda/config.ts";
import iamCreateSession from "../events/http-api/iam-create-session.json" with { type: "json" };
import jwtCreateSession from "../events/http-api/jwt-create-session.json" with { type: "json" };
import invokeCreateSession from "../events/invoke/create-session.json" with { type: "json" };

// Fixtures are shared module state: every accessor hands out a deep copy, so a test can change
// its event freely without leaking into the next one.

/** `POST /vault/sessions` through the IAM authorizer, payload format 2.0, as API Gateway sends it. */
export function iamEvent(): APIGatewayProxyEventV2WithIAMAuthorizer {
  return structuredClone(iamCreateSession) as unknown as APIGatewayProxyEventV2WithIAMAuthorizer;
}

/** `POST /sessions` through the JWT authorizer (claims `sub`, `email`, `name`), payload format 2.0. */
export function jwtEvent(): APIGatewayProxyEventV2WithJWTAuthorizer {
  return structuredClone(jwtCreateSession) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** A direct invocation's payload (Step Functions, another Lambda). */
export function invokeEvent(): { consumer_id?: unknown; session?: unknown; [key: string]: unknown } {
  return structuredClone(invokeCreateSession);
}

/** The configuration the fixtures were recorded against: only the required variables, every default. */
export const testConfig: BrokerConfig = loadConfig({
  APIDECK_APP_ID: "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX",
  APIDECK_SECRET_ID: "vault-session-broker/apideck-api-key",
});

/** An API key shaped like Apideck's, for checking that it never leaks into a message. */
export const API_KEY = "sk_live_7f3c2a9d4e8b1f60a5c3d2e1b0a9f8e7";

/** Builds an unsigned JWT-shaped token with these claims (only decoded by the code under test). */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}.c2lnbmF0dXJl`;
}
