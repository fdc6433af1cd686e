import { describe, expect, it } from "vitest";
import { identifyCaller, renderError, renderSession } from "../../../lambda/callers/caller.ts";
import { iamEvent, invokeEvent, jwtEvent } from "../fixtures.ts";

const isHttp = (event: unknown) => identifyCaller(event, "lambda-request-id").kind === "http";
const routeOf = (event: unknown) => identifyCaller(event, "lambda-request-id").route;

describe("Unit: caller", () => {
  describe("kind", () => {
    it("recognizes both HTTP API fixtures", () => {
      expect(isHttp(iamEvent())).toBe(true);
      expect(isHttp(jwtEvent())).toBe(true);
    });

    it.each([
      ["a direct invocation", invokeEvent()],
      ["an empty object", {}],
      ["null", null],
      ["undefined", undefined],
      ["a string", "POST /vault/sessions"],
      ["a REST API (v1) event", { requestContext: { httpMethod: "POST" } }],
      ["a null requestContext", { requestContext: null }],
      ["a string http", { requestContext: { http: "POST" } }],
    ])("treats %s as a direct invocation", (_, event) => {
      expect(isHttp(event)).toBe(false);
    });
  });

  describe("route", () => {
    it("reads the route key of each fixture", () => {
      expect(routeOf(iamEvent())).toBe("POST /vault/sessions");
      expect(routeOf(jwtEvent())).toBe("POST /sessions");
    });

    it("falls back to method and path on the $default route", () => {
      const event = iamEvent();
      event.routeKey = "$default";

      expect(routeOf(event)).toBe("POST /vault/sessions");
    });

    it.each([
      ["GET /vault/sessions", "GET", "/vault/sessions"],
      ["$default", "GET", "/vault/sessions"],
      ["$default", "POST", "/vault/sessions/"],
      ["$default", "POST", "/admin"],
      ["POST /admin", "POST", "/admin"],
    ])("treats route key %j (%s %s) as unknown", (routeKey, method, path) => {
      const event = iamEvent();
      event.routeKey = routeKey;
      event.rawPath = path;
      event.requestContext.http.method = method;

      expect(routeOf(event)).toBe("unknown");
    });
  });

  describe("request id", () => {
    it("is API Gateway's request id for HTTP callers and Lambda's for direct invokers", () => {
      const event = iamEvent();

      expect(identifyCaller(event, "lambda-request-id").requestId).toBe(event.requestContext.requestId);
      expect(identifyCaller(invokeEvent(), "lambda-request-id")).toEqual({
        kind: "invoke",
        route: "invoke",
        requestId: "lambda-request-id",
      });
    });
  });

  describe("rendering", () => {
    const opened = {
      response: {
        status_code: 200,
        status: "OK",
        data: { session_uri: "https://v.example/s/t", session_token: "t" },
      },
      expiresAt: new Date(Date.UTC(2026, 0, 1)),
    };
    const answer = {
      statusCode: 504,
      typeName: "UpstreamTimeoutError",
      message: "late",
      outcome: "upstream_error",
    } as const;

    it("answers HTTP callers with a response and direct invokers with a plain result or a thrown error", () => {
      const http = identifyCaller(iamEvent(), "id");
      const invoke = identifyCaller(invokeEvent(), "id");

      expect(renderSession(opened, http)).toMatchObject({ statusCode: 200 });
      expect(renderSession(opened, invoke)).toEqual({
        session_uri: "https://v.example/s/t",
        session_token: "t",
        expires_at: "2026-01-01T00:00:00.000Z",
      });
      expect(renderError(answer, http)).toMatchObject({ response: { statusCode: 504 } });
      expect(renderError(answer, invoke)).toMatchObject({ error: { name: "UpstreamTimeoutError" } });
    });
  });
});
