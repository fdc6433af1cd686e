import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { handlerEsbuildOptions } from "../../infra/bundling-options.ts";
import { startBrokerHarness } from "../support/broker-harness.ts";

// The minified bundle once answered `yr` for UpstreamTimeoutError, because error names came from
// class names. one-name-per-error.test.ts walks every row of the README's error table on the
// deployment bundle (the harness's default target); this file proves the mechanism: the init
// error, and every error class under the stack's own minifier.
// test/integration/lambda-runtime.test.ts checks the names on the Runtime API's wire format.

describe("Integration: error names on the bundle", () => {
  it("names the cold-start error InvalidEnvironmentError, by name and by constructor, on the bundle", async () => {
    const error = (await startBrokerHarness({ env: { UPSTREAM_TIMEOUT_MS: "5" } }).catch(
      (e: unknown) => e,
    )) as Error;

    expect(error.name).toBe("InvalidEnvironmentError");
    expect(error.message).toContain("UPSTREAM_TIMEOUT_MS");
    // The runtime's JSON log line names an error by its constructor: the init error is handed to
    // it as a class named by a computed key (errors/runtime-error.ts), which no minifier renames.
    expect(error.constructor.name).toBe("InvalidEnvironmentError");
  });
});

describe("Errors: names under the stack's minifier", () => {
  // Every error class the function can throw, with constructor arguments.
  const CLASSES: Record<string, unknown[]> = {
    MalformedJsonError: [],
    UnsupportedMediaTypeError: [],
    PayloadTooLargeError: [16_384],
    MissingConsumerIdError: ["x-apideck-consumer-id"],
    RepeatedHeaderError: ["x-apideck-consumer-id"],
    SessionValidationError: [[]],
    ForbiddenRequestError: ["theme", "theme is locked"],
    RouteNotFoundError: [],
    UpstreamTimeoutError: [],
    UpstreamNetworkError: [],
    UpstreamHttpError: [500, undefined, undefined],
    UpstreamInvalidResponseError: ["not a session"],
    InvalidEnvironmentError: [["APIDECK_APP_ID is required"]],
    SecretFormatError: ["not a string"],
    SecretAccessError: ["AccessDeniedException"],
    SecretUnavailableError: ["ThrottlingException"],
  };
  // Where the public name (README's error table) differs from the class's.
  const PUBLIC_NAMES: Record<string, string> = { SessionValidationError: "RequestValidationError" };
  const ABSTRACT = ["BrokerError", "RequestError", "UpstreamError", "ConfigurationError"];

  it("renames every error class yet keeps every error's name", async () => {
    const errors = fileURLToPath(new URL("../../lambda/errors/", import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), "broker-errors-"));
    try {
      const outfile = join(dir, "errors.mjs");
      const { entryPoints: _entry, ...options } = handlerEsbuildOptions(outfile);
      const contents = ["broker-error", "request-errors", "upstream-errors", "configuration-errors"]
        .map((file) => `export * from "./${file}.ts";`)
        .join("\n");
      const result = await build({
        ...options,
        stdin: { contents, resolveDir: errors, loader: "ts" },
        write: false,
      });
      writeFileSync(outfile, result.outputFiles?.[0]?.text ?? "");
      const module = createRequire(import.meta.url)(outfile) as Record<
        string,
        new (
          ...args: unknown[]
        ) => Error
      >;

      expect(Object.keys(module).sort()).toEqual([...Object.keys(CLASSES), ...ABSTRACT].sort());
      for (const [name, args] of Object.entries(CLASSES)) {
        const ErrorClass = module[name] as new (...args: unknown[]) => Error;
        expect(ErrorClass.name, `${name} is renamed by the minifier`).not.toBe(name);
        expect(new ErrorClass(...args).name).toBe(PUBLIC_NAMES[name] ?? name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
