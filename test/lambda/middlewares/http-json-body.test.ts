import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { identifyCaller } from "../../../lambda/callers/caller.ts";
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "../../../lambda/errors/request-errors.ts";
import { httpJsonBody } from "../../../lambda/middlewares/http-json-body.ts";
import type { TracedContext } from "../../../lambda/request-context.ts";
import { useBrokerHarness } from "../../support/use-broker-harness.ts";
import { iamEvent, invokeEvent } from "../fixtures.ts";

/**
 * Runs `event` through `middy()` with the caller identified first (as create-handler does) and
 * `httpJsonBody`, and returns the event the handler receives; throws what the chain throws.
 */
async function runBefore(event: unknown, options?: Parameters<typeof httpJsonBody>[0]) {
  let received: unknown;
  const handler = middy<unknown, unknown, Error, Context & Partial<TracedContext>>()
    .use({
      before: (request) => {
        request.context.caller = identifyCaller(request.event, "lambda-request-id");
      },
    })
    .use(httpJsonBody(options))
    .handler(async (parsed) => {
      received = parsed;
    });
  await handler(event, {} as Context);
  return received as { body?: unknown };
}

describe("Middleware: httpJsonBody", () => {
  it("replaces the JSON body of the IAM fixture with its value", async () => {
    const event = iamEvent();
    const expected = JSON.parse(event.body as string);

    expect((await runBefore(event)).body).toEqual(expected);
  });

  it("decodes a base64 body before parsing it", async () => {
    const event = iamEvent();
    const expected = JSON.parse(event.body as string);
    event.body = Buffer.from(event.body as string).toString("base64");
    event.isBase64Encoded = true;

    expect((await runBefore(event)).body).toEqual(expected);
  });

  it("reads UTF-8 text outside ASCII", async () => {
    const event = iamEvent();
    event.body = JSON.stringify({ consumer_metadata: { user_name: "Zoë Ångström 日本" } });

    expect((await runBefore(event)).body).toEqual({ consumer_metadata: { user_name: "Zoë Ångström 日本" } });
  });

  it.each([
    ["an absent body", undefined],
    ["an empty body", ""],
  ])("leaves %s undefined, without asking for a content type", async (_, body) => {
    const event = iamEvent();
    event.body = body;
    delete event.headers["content-type"];

    expect((await runBefore(event)).body).toBeUndefined();
  });

  it("parses a JSON null body as null", async () => {
    const event = iamEvent();
    event.body = "null";

    expect((await runBefore(event)).body).toBeNull();
  });

  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    "application/vnd.api+json",
    "application/merge-patch+json",
  ])("accepts content-type %j", async (contentType) => {
    const event = iamEvent();
    event.headers["content-type"] = contentType;

    expect((await runBefore(event)).body).toBeTypeOf("object");
  });

  it.each([
    ["text/plain"],
    ["application/x-www-form-urlencoded"],
    ["multipart/form-data; boundary=x"],
    ["application/jsonx"],
    ["text/json"],
  ])("throws UnsupportedMediaTypeError for content-type %j", async (contentType) => {
    const event = iamEvent();
    event.headers["content-type"] = contentType;

    await expect(runBefore(event)).rejects.toThrow(UnsupportedMediaTypeError);
  });

  it("throws UnsupportedMediaTypeError for a body without a content type", async () => {
    const event = iamEvent();
    delete event.headers["content-type"];

    await expect(runBefore(event)).rejects.toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    ["truncated JSON", '{"redirect_uri": "https://mysaas.com"'],
    ["single quotes", "{'redirect_uri': 'x'}"],
    ["a trailing comma", '{"a": 1,}'],
    ["plain text", "redirect_uri=https://mysaas.com"],
  ])("throws MalformedJsonError for %s", async (_, body) => {
    const event = iamEvent();
    event.body = body;

    await expect(runBefore(event)).rejects.toThrow(MalformedJsonError);
  });

  it("accepts a body of exactly 16 KB by default and refuses one byte more", async () => {
    const event = iamEvent();
    const padding = (size: number) => JSON.stringify({ pad: "x".repeat(size - 10) });
    expect(padding(16 * 1024)).toHaveLength(16 * 1024);

    event.body = padding(16 * 1024);
    expect((await runBefore(event)).body).toBeTypeOf("object");

    const bigger = iamEvent();
    bigger.body = padding(16 * 1024 + 1);
    await expect(runBefore(bigger)).rejects.toThrow(PayloadTooLargeError);
  });

  it("counts bytes, not characters", async () => {
    const event = iamEvent();
    event.body = JSON.stringify({ pad: "é".repeat(9_000) });

    expect(event.body.length).toBeLessThan(16 * 1024);
    await expect(runBefore(event)).rejects.toThrow(PayloadTooLargeError);
  });

  it("measures a base64 body after decoding it", async () => {
    const event = iamEvent();
    const json = JSON.stringify({ pad: "x".repeat(15_000) });
    event.body = Buffer.from(json).toString("base64");
    event.isBase64Encoded = true;

    expect(event.body.length).toBeGreaterThan(16 * 1024);
    expect((await runBefore(event)).body).toEqual(JSON.parse(json));
  });

  it("checks the size before the content type", async () => {
    const event = iamEvent();
    event.body = "x".repeat(20_000);
    event.headers["content-type"] = "text/plain";

    await expect(runBefore(event)).rejects.toThrow(PayloadTooLargeError);
  });

  it("takes a smaller limit as an option", async () => {
    const event = iamEvent();

    await expect(runBefore(event, { maxBytes: 10 })).rejects.toThrow(
      expect.objectContaining({
        constructor: PayloadTooLargeError,
        message: "The request body must be at most 10 bytes.",
      }),
    );
  });

  it("leaves a direct invocation untouched", async () => {
    const event = invokeEvent();
    const before = structuredClone(event);

    expect(await runBefore(event)).toEqual(before);
  });
});

describe("Middleware: httpJsonBody: regressions", () => {
  // Guards: an HTTP-shaped event whose body is not a string is a 400, not a crash (adversarial review).
  const harnesses = useBrokerHarness();

  it("answers 400 to an HTTP-shaped invocation whose body is not a string", async () => {
    const harness = await harnesses.start();

    const result = await harness.postVaultSessions({
      event: { body: { redirect_uri: "https://a.example/" } },
    });

    expect(result.statusCode).toBe(400);
    expect(result.body.type_name).toBe("MalformedJsonError");
  });
});
