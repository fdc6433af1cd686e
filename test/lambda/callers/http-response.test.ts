import { describe, expect, it } from "vitest";
import {
  errorResponse,
  SESSION_EXPIRES_HEADER,
  sessionCreatedResponse,
} from "../../../lambda/callers/http-response.ts";
import type { ErrorAnswer } from "../../../lambda/errors/mapping.ts";

const response = {
  status_code: 200,
  status: "OK",
  data: { session_uri: "https://vault.apideck.com/session/eyJ.abc.def", session_token: "eyJ.abc.def" },
};

describe("Unit: http responses", () => {
  describe("sessionCreatedResponse", () => {
    it("returns 200 with Apideck's CreateSessionResponse unchanged and the expiry header", () => {
      const expiresAt = new Date(Date.UTC(2025, 10, 22, 13, 30, 0));

      const answer = sessionCreatedResponse({ response, expiresAt });

      expect(answer).toEqual({
        statusCode: 200,
        headers: {
          "content-type": "application/json",
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
          [SESSION_EXPIRES_HEADER]: "2025-11-22T13:30:00.000Z",
        },
        body: JSON.stringify(response),
      });
      expect(SESSION_EXPIRES_HEADER).toBe("x-vault-session-expires-at");
    });
  });

  describe("errorResponse", () => {
    const answer: ErrorAnswer = {
      statusCode: 422,
      typeName: "RequestValidationError",
      message: "Invalid request: redirect_uri.",
      detail: {
        redirect_uri:
          "must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
      },
      outcome: "client_error",
    };

    it("returns an Apideck-style error body with the request id", () => {
      const result = errorResponse(answer, "UxY1-jRYliAEJsw=");

      expect(result.statusCode).toBe(422);
      expect(result.headers).toEqual({
        "content-type": "application/json",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      expect(JSON.parse(result.body as string)).toEqual({
        status_code: 422,
        error: "Unprocessable Entity",
        type_name: "RequestValidationError",
        message: "Invalid request: redirect_uri.",
        detail: {
          redirect_uri:
            "must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
        },
        request_id: "UxY1-jRYliAEJsw=",
      });
    });

    it("leaves detail out when there is none", () => {
      const body = JSON.parse(errorResponse({ ...answer, detail: undefined }, "id").body as string);

      expect(body).not.toHaveProperty("detail");
    });

    it("sends Retry-After when the answer has a delay", () => {
      const result = errorResponse({ ...answer, statusCode: 429, retryAfterSeconds: 0 }, "id");

      expect(result.headers).toMatchObject({ "retry-after": "0" });
    });

    it.each([
      [400, "Bad Request"],
      [403, "Forbidden"],
      [404, "Not Found"],
      [413, "Payload Too Large"],
      [415, "Unsupported Media Type"],
      [422, "Unprocessable Entity"],
      [429, "Too Many Requests"],
      [500, "Internal Server Error"],
      [502, "Bad Gateway"],
      [503, "Service Unavailable"],
      [504, "Gateway Timeout"],
      [418, "Error"],
    ])("names status %i %j", (statusCode, reason) => {
      const body = JSON.parse(errorResponse({ ...answer, statusCode }, "id").body as string);

      expect(body).toMatchObject({ status_code: statusCode, error: reason });
    });
  });
});
