import type { Context } from "aws-lambda";
import { LOG_LEVEL_RANK, type LogLevel, resolveLogLevel } from "./log-level.ts";

/** The logger the function uses: one JSON object per line on stdout, which CloudWatch Logs keeps as is. */
export interface JsonLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Adds the invocation's `function_name` and `function_request_id` to the lines that follow. */
  addContext(context: Pick<Context, "functionName" | "awsRequestId">): void;
}

/** Options of `createJsonLogger`. */
export interface JsonLoggerOptions {
  readonly serviceName: string;
  /**
   * The level the code asks for. `AWS_LAMBDA_LOG_LEVEL` still wins, as in Powertools (log-level.ts).
   * @default POWERTOOLS_LOG_LEVEL, else LOG_LEVEL, else INFO
   */
  readonly level?: LogLevel;
  /** @default process.env, read once here (the trace id is read per line) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default a write to process.stdout, looked up at each call so tests can capture it */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * A structured JSON logger in the shape of Powertools Logger's lines (`level`, `message`,
 * `timestamp`, `service`, `cold_start`, `function_name`, `function_request_id`, `xray_trace_id`,
 * plus the fields), so the usual log queries and Lambda's JSON log-level filter work. It replaces
 * `@aws-lambda-powertools/logger`; the README's dependency table says why.
 */
export function createJsonLogger(options: JsonLoggerOptions): JsonLogger {
  const { level, warning } = resolveLogLevel(options.env ?? process.env, options.level);
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  let context: Record<string, unknown> = {};
  let coldStart = true;

  const log = (lineLevel: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVEL_RANK[lineLevel] < LOG_LEVEL_RANK[level]) return;
    const line = {
      level: lineLevel,
      message,
      timestamp: new Date(now()).toISOString(),
      service: options.serviceName,
      ...context,
      xray_trace_id: xrayTraceId(),
      ...fields,
    };
    write(`${JSON.stringify(line)}\n`);
  };

  if (warning !== undefined) log("WARN", warning);
  return {
    debug: (message, fields) => log("DEBUG", message, fields),
    info: (message, fields) => log("INFO", message, fields),
    warn: (message, fields) => log("WARN", message, fields),
    error: (message, fields) => log("ERROR", message, fields),
    addContext(lambdaContext) {
      context = {
        cold_start: coldStart,
        function_name: lambdaContext.functionName,
        function_request_id: lambdaContext.awsRequestId,
      };
      coldStart = false;
    },
  };
}

type LambdaGlobal = { awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } } };

/**
 * The current invocation's X-Ray trace id (`Root=1-...` of the trace header), or `undefined` when
 * tracing is off (JSON.stringify then leaves the key out). Read per line, as Powertools does: the
 * runtime sets `_X_AMZN_TRACE_ID` for each invocation, or keeps it in its invoke store when one
 * instance runs several invocations at once (Powertools' commons/envUtils.ts reads the store first).
 */
function xrayTraceId(): string | undefined {
  const header =
    (globalThis as LambdaGlobal).awslambda?.InvokeStore?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
  if (!header) return undefined;
  if (!header.includes("=")) return header;
  for (const part of header.split(";")) if (part.startsWith("Root=")) return part.slice(5);
  return undefined;
}
