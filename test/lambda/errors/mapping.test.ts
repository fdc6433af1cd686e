import { describe, expect, it } from "vitest";
import {
  InvalidEnvironmentError,
  SecretAccessError,
  SecretFormatError,
  SecretUnavailableError,
} from "../../../lambda/errors/configuration-errors.ts";
import { describeError, type ErrorAnswer } from "../../../lambda/errors/mapping.ts";
import {
  ForbiddenRequestError,
  MalformedJsonError,
  MissingConsumerIdError,
  PayloadTooLargeError,
  RepeatedHeaderError,
  RouteNotFoundError,
  SessionValidationError,
  UnsupportedMediaTypeError,
} from "../../../lambda/errors/request-errors.ts";
import {
  UpstreamHttpError,
  UpstreamInvalidResponseError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
} from "../../../lambda/errors/upstream-errors.ts";
import { API_KEY } from "../fixtures.ts";

type Expected = Pick<ErrorAnswer, "statusCode" | "typeName" | "message" | "outcome"> & Partial<ErrorAnswer>;

const keyCause = () =>
  Object.assign(new Error(`request with Bearer ${API_KEY} failed`), { name: "AccessDeniedException" });

describe("Unit: error mapping", () => {
  describe("request errors", () => {
    it("maps SessionValidationError to 422 RequestValidationError, with a detail per field", () => {
      const error = new SessionValidationError([
        {
          path: "redirect_uri",
          problem:
            "must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
        },
        { path: "settings.session_length", problem: "must be at most 7d" },
      ]);

      expect(describeError(error)).toEqual({
        statusCode: 422,
        typeName: "RequestValidationError",
        message: "Invalid request: redirect_uri, settings.session_length.",
        detail: {
          redirect_uri:
            "must be an absolute https URL of at most 2048 characters, without whitespace, control characters or backslashes",
          "settings.session_length": "must be at most 7d",
        },
        outcome: "client_error",
      });
    });

    it.each<[string, Error, Expected]>([
      [
        "MissingConsumerIdError",
        new MissingConsumerIdError("x-apideck-consumer-id header"),
        {
          statusCode: 400,
          typeName: "MissingConsumerIdError",
          message: "A consumer id is required: x-apideck-consumer-id header is missing.",
          detail: { missing: ["x-apideck-consumer-id header"] },
          outcome: "client_error",
        },
      ],
      [
        "RepeatedHeaderError",
        new RepeatedHeaderError("x-apideck-consumer-id"),
        {
          statusCode: 400,
          typeName: "RepeatedHeaderError",
          message:
            "The x-apideck-consumer-id header was sent more than once (API Gateway joins repeated headers with commas); send it once.",
          detail: { header: "x-apideck-consumer-id" },
          outcome: "client_error",
        },
      ],
      [
        "MalformedJsonError",
        new MalformedJsonError(),
        {
          statusCode: 400,
          typeName: "MalformedJsonError",
          message: "The request body is not valid JSON.",
          outcome: "client_error",
        },
      ],
      [
        "UnsupportedMediaTypeError",
        new UnsupportedMediaTypeError(),
        {
          statusCode: 415,
          typeName: "UnsupportedMediaTypeError",
          message: "The request body must be JSON: send content-type: application/json.",
          outcome: "client_error",
        },
      ],
      [
        "PayloadTooLargeError",
        new PayloadTooLargeError(16_384),
        {
          statusCode: 413,
          typeName: "PayloadTooLargeError",
          message: "The request body must be at most 16384 bytes.",
          outcome: "client_error",
        },
      ],
      [
        "ForbiddenRequestError",
        new ForbiddenRequestError(
          "x-apideck-app-id",
          "x-apideck-app-id does not match the application this service serves.",
        ),
        {
          statusCode: 403,
          typeName: "ForbiddenRequestError",
          message: "x-apideck-app-id does not match the application this service serves.",
          detail: { field: "x-apideck-app-id" },
          outcome: "client_error",
        },
      ],
      [
        "RouteNotFoundError",
        new RouteNotFoundError(),
        {
          statusCode: 404,
          typeName: "RouteNotFoundError",
          message: "No such route: use POST /vault/sessions or POST /sessions.",
          outcome: "client_error",
        },
      ],
    ])("maps %s", (_, error, expected) => {
      expect(describeError(error)).toEqual({ detail: undefined, ...expected });
    });
  });

  describe("upstream statuses", () => {
    it.each([400, 422])("passes Apideck's own explanation of a %i through", (status) => {
      const body = {
        type_name: "InvalidStateError",
        message: "Invalid State",
        detail: { field: "redirect_uri" },
      };

      expect(describeError(new UpstreamHttpError(status, body, undefined))).toEqual({
        statusCode: status,
        typeName: "UpstreamValidationError",
        message: "Apideck rejected the request: Invalid State",
        detail: { upstream_type_name: "InvalidStateError", upstream_detail: { field: "redirect_uri" } },
        outcome: "client_error",
      });
    });

    it.each(["RequestValidationError", "ForbiddenRequestError", "UpstreamTimeoutError"])(
      "keeps Apideck's type_name %s as data, never as the error's name",
      (typeName) => {
        const answer = describeError(new UpstreamHttpError(422, { type_name: typeName }, undefined));

        expect(answer.typeName).toBe("UpstreamValidationError");
        expect(answer.detail).toEqual({ upstream_type_name: typeName });
      },
    );

    it.each([400, 422])("describes a %i without a readable body generically", (status) => {
      expect(describeError(new UpstreamHttpError(status, undefined, undefined))).toEqual({
        statusCode: status,
        typeName: "UpstreamValidationError",
        message: "Apideck rejected the request.",
        detail: undefined,
        outcome: "client_error",
      });
    });

    it.each([
      [401, "Apideck rejected the service's API key: the operator must store a valid key in the secret."],
      [
        402,
        "Apideck refused the request for the account's plan (402): the operator must check the Apideck plan and limits.",
      ],
      [
        403,
        "Apideck refused the request (403): the operator must check that the API key may use the configured app.",
      ],
      [
        404,
        "Apideck does not know the configured application (404): the operator must check APIDECK_APP_ID.",
      ],
    ])("maps a %i to 502 UpstreamConfigurationError, the operator's to fix", (status, message) => {
      const body = {
        type_name: "UnauthorizedError",
        message: "Unauthenticated request",
        detail: "Missing key",
      };

      expect(describeError(new UpstreamHttpError(status, body, undefined))).toEqual({
        statusCode: 502,
        typeName: "UpstreamConfigurationError",
        message,
        outcome: "upstream_error",
      });
    });

    it.each([409, 500, 502, 503, 504, 501, 302])("maps a %i to 502 UpstreamError", (status) => {
      expect(describeError(new UpstreamHttpError(status, { message: "whatever" }, 5))).toEqual({
        statusCode: 502,
        typeName: "UpstreamError",
        message: `Apideck failed to create the session (${status}); retry later.`,
        outcome: "upstream_error",
      });
    });

    it("maps a 429 with Retry-After to 429, passing the delay on", () => {
      expect(describeError(new UpstreamHttpError(429, undefined, 17))).toEqual({
        statusCode: 429,
        typeName: "TooManyRequestsError",
        message: "Apideck is rate limiting this application; retry later.",
        retryAfterSeconds: 17,
        outcome: "upstream_error",
      });
    });

    it("maps a 429 without Retry-After to 429 with a one-second delay", () => {
      expect(describeError(new UpstreamHttpError(429, undefined, undefined))).toMatchObject({
        statusCode: 429,
        typeName: "TooManyRequestsError",
        retryAfterSeconds: 1,
      });
    });

    it("keeps a Retry-After of 0", () => {
      expect(describeError(new UpstreamHttpError(429, undefined, 0)).retryAfterSeconds).toBe(0);
    });
  });

  describe("other upstream and configuration errors", () => {
    it.each<[string, Error, Expected]>([
      [
        "UpstreamTimeoutError",
        new UpstreamTimeoutError(),
        {
          statusCode: 504,
          typeName: "UpstreamTimeoutError",
          message: "Apideck did not answer in time; retry later.",
          outcome: "upstream_error",
        },
      ],
      [
        "UpstreamNetworkError",
        new UpstreamNetworkError({ cause: new TypeError("fetch failed") }),
        {
          statusCode: 502,
          typeName: "UpstreamNetworkError",
          message: "The connection to Apideck failed. Retry later.",
          outcome: "upstream_error",
        },
      ],
      [
        "UpstreamInvalidResponseError",
        new UpstreamInvalidResponseError("the body is not JSON"),
        {
          statusCode: 502,
          typeName: "UpstreamInvalidResponseError",
          message: "Apideck's answer was not a valid session: the body is not JSON. Retry later.",
          outcome: "upstream_error",
        },
      ],
      [
        "SecretUnavailableError",
        new SecretUnavailableError("ThrottlingException"),
        {
          statusCode: 503,
          typeName: "SecretUnavailableError",
          message: "The API key store is temporarily unavailable; retry later.",
          retryAfterSeconds: 1,
          outcome: "upstream_error",
        },
      ],
      [
        "Middy's TimeoutError",
        Object.assign(new Error("[AbortError]: The operation was aborted."), { name: "TimeoutError" }),
        {
          statusCode: 504,
          typeName: "UpstreamTimeoutError",
          message: "The request ran out of time; retry later.",
          outcome: "upstream_error",
        },
      ],
    ])("maps %s", (_, error, expected) => {
      expect(describeError(error)).toEqual(expected);
    });

    it.each([
      ["SecretAccessError", new SecretAccessError("AccessDeniedException")],
      ["SecretFormatError", new SecretFormatError("it starts with '{' but is not valid JSON")],
      ["InvalidEnvironmentError", new InvalidEnvironmentError(["APIDECK_APP_ID is required"])],
    ])("maps %s to a 500 that points the operator at the logs", (_, error) => {
      expect(describeError(error)).toEqual({
        statusCode: 500,
        typeName: "InternalError",
        message: "The service is misconfigured; the operator can find the cause in the logs.",
        outcome: "internal_error",
      });
    });

    it.each([
      ["an unknown Error", new Error("connect ECONNREFUSED 10.0.0.1:443")],
      ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'data')")],
      ["a thrown string", "boom"],
      ["undefined", undefined],
      ["null", null],
    ])("maps %s to a generic 500 without its message", (_, error) => {
      expect(describeError(error)).toEqual({
        statusCode: 500,
        typeName: "InternalError",
        message: "Internal error.",
        outcome: "internal_error",
      });
    });
  });

  describe("secrets", () => {
    const withKey: Array<[string, unknown]> = [
      ["an unknown Error quoting the key", new Error(`Authorization: Bearer ${API_KEY}`)],
      [
        "SecretAccessError with the key in its cause",
        new SecretAccessError("AccessDeniedException", { cause: keyCause() }),
      ],
      [
        "SecretUnavailableError with the key in its cause",
        new SecretUnavailableError("ThrottlingException", { cause: keyCause() }),
      ],
      ["SecretFormatError", new SecretFormatError(`value ${API_KEY}`)],
      ["InvalidEnvironmentError", new InvalidEnvironmentError([`APIDECK_APP_ID ${API_KEY}`])],
      ["UpstreamNetworkError with the key in its cause", new UpstreamNetworkError({ cause: keyCause() })],
      ["UpstreamTimeoutError with the key in its cause", new UpstreamTimeoutError({ cause: keyCause() })],
      ...[401, 402, 403, 404, 409, 429, 500, 502, 503, 504].map(
        (status) =>
          [
            `a ${status} whose body quotes the key`,
            new UpstreamHttpError(
              status,
              { type_name: "UnauthorizedError", message: `bad key ${API_KEY}`, detail: API_KEY },
              undefined,
            ),
          ] as [string, unknown],
      ),
    ];

    it.each(withKey)("never puts the API key in the answer for %s", (_, error) => {
      expect(JSON.stringify(describeError(error))).not.toContain(API_KEY);
    });
  });
});
