import { readFileSync } from "node:fs";
import type { ApideckSimulator } from "../../infra/local/apideck-simulator.ts";
import type { SecretsManagerEndpoint } from "../../infra/local/secrets-manager-endpoint.ts";

/** The stand-ins a scenario arranges its fault on. */
export interface ScenarioStubs {
  readonly simulator: ApideckSimulator;
  readonly secretsManager: SecretsManagerEndpoint;
}

/**
 * How to make the function answer with one `type_name` of the README's error table: on the IAM
 * route (`http`: headers, body, event fields) and, unless the error can only come from an HTTP
 * body or route, by direct invocation (`direct`: the payload).
 */
export interface ErrorScenario {
  readonly status: number;
  /** Function environment on top of the harness's. */
  readonly env?: Record<string, string>;
  /** Faults to arrange on the stand-ins before the request. */
  readonly arrange?: (stubs: ScenarioStubs) => void;
  /** The Lambda's remaining time for the request. @default 3000 */
  readonly remainingMs?: number;
  readonly http: {
    readonly headers?: Record<string, string>;
    readonly body?: unknown;
    readonly event?: Record<string, unknown>;
    /** The JWT route with these verified claims instead of the IAM route. */
    readonly claims?: Record<string, unknown>;
  };
  /** Undefined for errors only an HTTP body or route can cause; the reason is in `HTTP_ONLY`. */
  readonly direct?: unknown;
}

const consumer = { consumer_id: "account:12345" };
const always = (fault: Parameters<ApideckSimulator["setFaultRate"]>[1]) => (stubs: ScenarioStubs) =>
  stubs.simulator.setFaultRate(1, fault);

/** Why some names cannot come from a direct invocation: they are about an HTTP body or route. */
export const HTTP_ONLY: Record<string, string> = {
  MalformedJsonError: "a direct payload is already JSON",
  RepeatedHeaderError: "only API Gateway joins a repeated header",
  UnsupportedMediaTypeError: "a direct payload has no content type",
  RouteNotFoundError: "only a hand-built HTTP event names a route",
};

/** One scenario per `type_name` of the README's error table. */
export const ERROR_SCENARIOS: Record<string, ErrorScenario> = {
  MalformedJsonError: { status: 400, http: { body: "{not json" } },
  MissingConsumerIdError: { status: 400, http: { claims: { email: "no-sub@example.com" } }, direct: {} },
  PayloadTooLargeError: {
    status: 413,
    http: { body: { custom_consumer_settings: { pad: "a".repeat(17_000) } } },
    direct: { ...consumer, session: { custom_consumer_settings: { pad: "a".repeat(17_000) } } },
  },
  RepeatedHeaderError: {
    status: 400,
    http: { headers: { "x-apideck-consumer-id": "account:1, account:2" } },
  },
  UpstreamValidationError: {
    status: 422,
    arrange: always({ kind: "status", status: 422 }),
    http: {},
    direct: consumer,
  },
  UnsupportedMediaTypeError: { status: 415, http: { headers: { "content-type": "text/plain" }, body: "{}" } },
  RequestValidationError: {
    status: 422,
    http: { body: { redirect_uri: "javascript:alert(1)" } },
    direct: { ...consumer, session: { redirect_uri: "javascript:alert(1)" } },
  },
  ForbiddenRequestError: {
    status: 403,
    env: { LOCKED_FIELDS: "theme" },
    http: { body: { theme: { vault_name: "Evil" } } },
    direct: { ...consumer, session: { theme: { vault_name: "Evil" } } },
  },
  RouteNotFoundError: {
    status: 404,
    http: { event: { routeKey: "POST /elsewhere", rawPath: "/elsewhere" } },
  },
  UpstreamConfigurationError: {
    status: 502,
    arrange: always({ kind: "status", status: 404 }),
    http: {},
    direct: consumer,
  },
  TooManyRequestsError: {
    status: 429,
    arrange: always({ kind: "status", status: 429 }),
    http: {},
    direct: consumer,
  },
  UpstreamError: {
    status: 502,
    arrange: always({ kind: "status", status: 503 }),
    http: {},
    direct: consumer,
  },
  UpstreamNetworkError: {
    status: 502,
    arrange: always({ kind: "reset", when: "before-response" }),
    http: {},
    direct: consumer,
  },
  UpstreamInvalidResponseError: {
    status: 502,
    arrange: always({ kind: "json", status: 200, body: [] }),
    http: {},
    direct: consumer,
  },
  UpstreamTimeoutError: {
    status: 504,
    env: { UPSTREAM_TIMEOUT_MS: "200" },
    arrange: always({ kind: "hang", ms: 10_000 }),
    http: {},
    direct: consumer,
  },
  SecretUnavailableError: {
    status: 503,
    arrange: (stubs) =>
      stubs.secretsManager.inject(...Array(5).fill({ kind: "error", type: "InternalServiceError" })),
    remainingMs: 10_000,
    http: {},
    direct: consumer,
  },
  InternalError: {
    status: 500,
    arrange: (stubs) => stubs.secretsManager.inject({ kind: "error", type: "ResourceNotFoundException" }),
    http: {},
    direct: consumer,
  },
};

/**
 * The `type_name`s the README's error table promises (its third column, in backticks), so a name
 * added to the README without a scenario, or a scenario for a name the README dropped, fails.
 */
export function readmeErrorTypeNames(): string[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(
    readme.indexOf("\n## Errors"),
    readme.indexOf("\n## ", readme.indexOf("\n## Errors") + 1),
  );
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    const column = line.startsWith("|") ? line.split("|")[3] : undefined;
    for (const match of column?.matchAll(/`(\w+)`/g) ?? [])
      if (match[1] !== "type_name") names.add(match[1] ?? "");
  }
  return [...names].sort();
}
