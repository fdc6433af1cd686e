import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { handlerEsbuildOptions } from "../../infra/bundling-options.ts";
import { type BrokerHarness, startBrokerHarness } from "../support/broker-harness.ts";
import {
  ERROR_SCENARIOS,
  type ErrorScenario,
  HTTP_ONLY,
  readmeErrorTypeNames,
} from "../support/error-scenarios.ts";

// Issue #10: the minified bundle once answered `yr` for UpstreamTimeoutError, because error names
// came from class names. Every name the README promises is asserted here on the deployment bundle
// (the harness's default target): as the HTTP `type_name` and as a direct invocation's error name.
// test/integration/lambda-runtime.test.ts checks the same names on the Runtime API's wire format.

const README_NAMES = readmeErrorTypeNames();
const DIRECT_NAMES = README_NAMES.filter((name) => ERROR_SCENARIOS[name]?.direct !== undefined);

async function withHarness(scenario: ErrorScenario, use: (harness: BrokerHarness) => Promise<void>) {
  const harness = await startBrokerHarness({ env: scenario.env ?? {} });
  try {
    scenario.arrange?.(harness);
    await use(harness);
  } finally {
    await harness.close();
  }
  expect(harness.leakedSecrets()).toEqual([]);
}

describe("Integration: error names on the bundle", () => {
  it("has a scenario for exactly the type_names of the README's error table", () => {
    expect(README_NAMES.length).toBeGreaterThan(10);
    expect(Object.keys(ERROR_SCENARIOS).sort()).toEqual(README_NAMES);
  });

  it.each(README_NAMES)("answers %s as the HTTP type_name, with the README's status", async (name) => {
    const scenario = ERROR_SCENARIOS[name] as ErrorScenario;
    await withHarness(scenario, async (harness) => {
      const { claims, ...init } = scenario.http;
      const request = { ...init, remainingMs: scenario.remainingMs ?? 3_000 };
      const result = claims
        ? await harness.postSessions({ ...request, claims })
        : await harness.postVaultSessions(request);

      expect(result.body.type_name).toBe(name);
      expect(result.statusCode).toBe(scenario.status);
    });
  });

  it.each(DIRECT_NAMES)("throws %s to a direct invoker", async (name) => {
    const scenario = ERROR_SCENARIOS[name] as ErrorScenario;
    await withHarness(scenario, async (harness) => {
      const error = await harness
        .invoke(scenario.direct, scenario.remainingMs ?? 3_000)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe(name);
    });
  });

  it("leaves out of direct invocation only the names an HTTP body or route causes", () => {
    const httpOnly = README_NAMES.filter((name) => !DIRECT_NAMES.includes(name));

    expect(httpOnly).toEqual(Object.keys(HTTP_ONLY).sort());
  });

  it("passes Apideck's own type_name through for its 422", async () => {
    const scenario: ErrorScenario = {
      status: 422,
      arrange: (s) => s.simulator.inject({ kind: "status", status: 422 }),
      http: {},
    };
    await withHarness(scenario, async (harness) => {
      const result = await harness.postVaultSessions();

      expect(result).toMatchObject({ statusCode: 422, body: { type_name: "InvalidStateError" } });
    });
  });

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
