import type middy from "@middy/core";
import { describe, expect, it } from "vitest";
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "../../../lambda/errors/request-errors.ts";
import { httpJsonBody } from "../../../lambda/middlewares/http-json-body.ts";
import { iamEvent, invokeEvent } from "../fixtures.ts";

/** Runs the middleware's `before` on `event` and returns the event as it leaves it. */
function runBefore(event: unknown, options?: Parameters<typeof httpJsonBody>[0]) {
  const request = {
    event,
    context: {},
    response: undefined,
    error: undefined,
    internal: {},
  } as unknown as middy.Request;
  const result = httpJsonBody(options).before?.(request);
  expect(result).toBeUndefined();
  return request.event as { body?: unknown };
}

describe("Middleware: httpJsonBody", () => {
  it("replaces the JSON body of the IAM fixture with its value", () => {
    const event = iamEvent();
    const expected = JSON.parse(event.body as string);

    expect(runBefore(event).body).toEqual(expected);
  });

  it("decodes a base64 body before parsing it", () => {
    const event = iamEvent();
    const expected = JSON.parse(event.body as string);
    event.body = Buffer.from(event.body as string).toString("base64");
    event.isBase64Encoded = true;

    expect(runBefore(event).body).toEqual(expected);
  });

  it("reads UTF-8 text outside ASCII", () => {
    const event = iamEvent();
    event.body = JSON.stringify({ consumer_metadata: { user_name: "Zoë Ångström 日本" } });

    expect(runBefore(event).body).toEqual({ consumer_metadata: { user_name: "Zoë Ångström 日本" } });
  });

  it.each([
    ["an absent body", undefined],
    ["an empty body", ""],
  ])("leaves %s undefined, without asking for a content type", (_, body) => {
    const event = iamEvent();
    event.body = body;
    delete event.headers["content-type"];

    expect(runBefore(event).body).toBeUndefined();
  });

  it("parses a JSON null body as null", () => {
    const event = iamEvent();
    event.body = "null";

    expect(runBefore(event).body).toBeNull();
  });

  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    "application/vnd.api+json",
    "application/merge-patch+json",
  ])("accepts content-type %j", (contentType) => {
    const event = iamEvent();
    event.headers["content-type"] = contentType;

    expect(runBefore(event).body).toBeTypeOf("object");
  });

  it.each([
    ["text/plain"],
    ["application/x-www-form-urlencoded"],
    ["multipart/form-data; boundary=x"],
    ["application/jsonx"],
    ["text/json"],
  ])("throws UnsupportedMediaTypeError for content-type %j", (contentType) => {
    const event = iamEvent();
    event.headers["content-type"] = contentType;

    expect(() => runBefore(event)).toThrow(UnsupportedMediaTypeError);
  });

  it("throws UnsupportedMediaTypeError for a body without a content type", () => {
    const event = iamEvent();
    delete event.headers["content-type"];

    expect(() => runBefore(event)).toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    ["truncated JSON", '{"redirect_uri": "https://mysaas.com"'],
    ["single quotes", "{'redirect_uri': 'x'}"],
    ["a trailing comma", '{"a": 1,}'],
    ["plain text", "redirect_uri=https://mysaas.com"],
  ])("throws MalformedJsonError for %s", (_, body) => {
    const event = iamEvent();
    event.body = body;

    expect(() => runBefore(event)).toThrow(MalformedJsonError);
  });

  it("accepts a body of exactly 16 KB by default and refuses one byte more", () => {
    const event = iamEvent();
    const padding = (size: number) => JSON.stringify({ pad: "x".repeat(size - 10) });
    expect(padding(16 * 1024)).toHaveLength(16 * 1024);

    event.body = padding(16 * 1024);
    expect(runBefore(event).body).toBeTypeOf("object");

    const bigger = iamEvent();
    bigger.body = padding(16 * 1024 + 1);
    expect(() => runBefore(bigger)).toThrow(PayloadTooLargeError);
  });

  it("counts bytes, not characters", () => {
    const event = iamEvent();
    event.body = JSON.stringify({ pad: "é".repeat(9_000) });

    expect(event.body.length).toBeLessThan(16 * 1024);
    expect(() => runBefore(event)).toThrow(PayloadTooLargeError);
  });

  it("measures a base64 body after decoding it", () => {
    const event = iamEvent();
    const json = JSON.stringify({ pad: "x".repeat(15_000) });
    event.body = Buffer.from(json).toString("base64");
    event.isBase64Encoded = true;

    expect(event.body.length).toBeGreaterThan(16 * 1024);
    expect(runBefore(event).body).toEqual(JSON.parse(json));
  });

  it("checks the size before the content type", () => {
    const event = iamEvent();
    event.body = "x".repeat(20_000);
    event.headers["content-type"] = "text/plain";

    expect(() => runBefore(event)).toThrow(PayloadTooLargeError);
  });

  it("takes a smaller limit as an option", () => {
    const event = iamEvent();

    expect(() => runBefore(event, { maxBytes: 10 })).toThrow(
      expect.objectContaining({
        constructor: PayloadTooLargeError,
        message: "The request body must be at most 10 bytes.",
      }),
    );
  });

  it("leaves a direct invocation untouched", () => {
    const event = invokeEvent();
    const before = structuredClone(event);

    expect(runBefore(event)).toEqual(before);
  });
});
