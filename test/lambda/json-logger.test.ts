import { describe, expect, it, vi } from "vitest";
import { createJsonLogger } from "../../lambda/json-logger.ts";

const at = Date.UTC(2026, 10, 22, 12, 0, 0);

function setup(level?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT") {
  const lines: string[] = [];
  const logger = createJsonLogger({
    serviceName: "svc",
    now: () => at,
    write: (line) => lines.push(line),
    ...(level ? { level } : {}),
  });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("Unit: JSON logger", () => {
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
    ["INFO", ["INFO", "WARN", "ERROR"]],
    ["WARN", ["WARN", "ERROR"]],
    ["ERROR", ["ERROR"]],
    ["SILENT", []],
  ] as const)("writes only lines at or above %s", (level, written) => {
    const { logger, parsed } = setup(level);

    logger.info("i");
    logger.warn("w");
    logger.error("e");

    expect(parsed().map((line) => line.level)).toEqual(written);
  });

  it.each([
    [{ POWERTOOLS_LOG_LEVEL: "warn" }, ["WARN"]],
    [{ AWS_LAMBDA_LOG_LEVEL: "ERROR" }, []],
    [{ LOG_LEVEL: "nonsense" }, ["INFO", "WARN"]],
  ])("reads its level from the environment %j", (env, written) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const lines: string[] = [];
    const logger = createJsonLogger({ serviceName: "svc", write: (line) => lines.push(line) });

    logger.info("i");
    logger.warn("w");

    expect(lines.map((line) => JSON.parse(line).level)).toEqual(written);
  });
});
