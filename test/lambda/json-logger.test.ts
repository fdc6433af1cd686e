import { afterEach, describe, expect, it, vi } from "vitest";
import { createJsonLogger } from "../../lambda/json-logger.ts";
import type { LogLevel } from "../../lambda/log-level.ts";

const at = Date.UTC(2026, 10, 22, 12, 0, 0);

function setup(level?: LogLevel, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createJsonLogger({
    serviceName: "svc",
    now: () => at,
    env,
    write: (line) => lines.push(line),
    ...(level ? { level } : {}),
  });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("Unit: JSON logger", () => {
  afterEach(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda;
  });

  it("writes one JSON object per line with level, message, timestamp, service and the fields", () => {
    const { logger, lines, parsed } = setup("INFO");

    logger.info("vault session request", { route: "POST /vault/sessions", status_code: 200 });

    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("}\n")).toBe(true);
    expect(parsed()[0]).toEqual({
      level: "INFO",
      message: "vault session request",
      timestamp: "2026-11-22T12:00:00.000Z",
      service: "svc",
      route: "POST /vault/sessions",
      status_code: 200,
    });
  });

  it("adds the invocation's context, with cold_start true only the first time", () => {
    const { logger, parsed } = setup("INFO");

    logger.addContext({ functionName: "fn", awsRequestId: "r1" });
    logger.info("a");
    logger.addContext({ functionName: "fn", awsRequestId: "r2" });
    logger.info("b");

    expect(parsed().map((line) => [line.cold_start, line.function_request_id])).toEqual([
      [true, "r1"],
      [false, "r2"],
    ]);
  });

  it.each([
    ["TRACE", ["DEBUG", "INFO", "WARN", "ERROR"]],
    ["DEBUG", ["DEBUG", "INFO", "WARN", "ERROR"]],
    ["INFO", ["INFO", "WARN", "ERROR"]],
    ["WARN", ["WARN", "ERROR"]],
    ["ERROR", ["ERROR"]],
    ["CRITICAL", []],
    ["SILENT", []],
  ] as const)("writes only lines at or above %s", (level, written) => {
    const { logger, parsed } = setup(level);

    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");

    expect(parsed().map((line) => line.level)).toEqual(written);
  });

  it.each([
    [{ POWERTOOLS_LOG_LEVEL: "warn" }, ["WARN"]],
    [{ LOG_LEVEL: "debug" }, ["DEBUG", "INFO", "WARN"]],
    [{ POWERTOOLS_LOG_LEVEL: "ERROR", LOG_LEVEL: "DEBUG" }, []],
    [{ LOG_LEVEL: "nonsense" }, ["INFO", "WARN"]],
    [{ POWERTOOLS_LOG_LEVEL: "WARNING" }, ["WARN"]],
    [{ AWS_LAMBDA_LOG_LEVEL: "ERROR" }, []],
    [{ AWS_LAMBDA_LOG_LEVEL: "TRACE" }, ["DEBUG", "INFO", "WARN"]],
    [{ AWS_LAMBDA_LOG_LEVEL: "DEBUG", POWERTOOLS_LOG_LEVEL: "WARN" }, ["DEBUG", "INFO", "WARN"]],
    [{ AWS_LAMBDA_LOG_LEVEL: "nonsense", POWERTOOLS_LOG_LEVEL: "WARN" }, ["WARN"]],
  ])("reads its level from the environment %j", (env, written) => {
    const { logger, parsed } = setup(undefined, env);

    logger.debug("d");
    logger.info("i");
    logger.warn("w");

    expect(parsed().map((line) => line.level)).toEqual(written);
  });

  it("reads process.env when given no environment", () => {
    vi.stubEnv("AWS_LAMBDA_LOG_LEVEL", "ERROR");
    const lines: string[] = [];
    const logger = createJsonLogger({ serviceName: "svc", write: (line) => lines.push(line) });

    logger.warn("w");

    expect(lines).toEqual([]);
  });

  it("lets Lambda's stricter level win over POWERTOOLS_LOG_LEVEL, with one warning at start", () => {
    const { logger, parsed } = setup(undefined, {
      AWS_LAMBDA_LOG_LEVEL: "WARN",
      POWERTOOLS_LOG_LEVEL: "INFO",
    });

    logger.info("dropped");
    logger.warn("kept");
    logger.info("dropped");
    logger.warn("kept");

    expect(parsed().map((line) => [line.level, line.message])).toEqual([
      [
        "WARN",
        "Current log level (INFO) does not match AWS Lambda Advanced Logging Controls minimum log level (WARN). This can lead to data loss, consider adjusting them.",
      ],
      ["WARN", "kept"],
      ["WARN", "kept"],
    ]);
  });

  it("lets Lambda's level win over the code's, and maps Lambda's FATAL to CRITICAL", () => {
    const { logger, parsed } = setup("DEBUG", { AWS_LAMBDA_LOG_LEVEL: "FATAL" });

    logger.error("e");

    // The warning itself is below CRITICAL, so Lambda would drop it: nothing is written.
    expect(parsed()).toEqual([]);
  });

  it("warns about nothing when Lambda's level is the same or more verbose", () => {
    const { parsed } = setup(undefined, { AWS_LAMBDA_LOG_LEVEL: "INFO", POWERTOOLS_LOG_LEVEL: "WARN" });

    expect(parsed()).toEqual([]);
  });

  it("adds xray_trace_id, the Root of the trace header read at each line, and leaves it out when unset", () => {
    const { logger, parsed } = setup("INFO");

    logger.info("untraced");
    vi.stubEnv(
      "_X_AMZN_TRACE_ID",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1",
    );
    logger.info("first");
    vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-67891233-abcdef012345678912345678;Sampled=0");
    logger.info("second");

    expect(parsed().map((line) => line.xray_trace_id)).toEqual([
      undefined,
      "1-5759e988-bd862e3fe1be46a994272793",
      "1-67891233-abcdef012345678912345678",
    ]);
    expect(Object.keys(parsed()[0] ?? {})).not.toContain("xray_trace_id");
  });

  it("prefers the runtime's invoke store over the environment for the trace id", () => {
    vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-00000000-000000000000000000000000");
    (globalThis as { awslambda?: unknown }).awslambda = {
      InvokeStore: { getXRayTraceId: () => "Root=1-11111111-111111111111111111111111;Sampled=1" },
    };
    const { logger, parsed } = setup("INFO");

    logger.info("traced");

    expect(parsed()[0]?.xray_trace_id).toBe("1-11111111-111111111111111111111111");
  });
});
