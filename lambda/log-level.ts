/** Levels in order, as Powertools Logger ranks them; `SILENT` writes nothing. */
export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "CRITICAL" | "SILENT";

/** Powertools Logger's thresholds (packages/logger/src/constants.ts): a line is written when its rank is at or above the level's. */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};

/** The level in force, and the one-time warning to write when Lambda's level overrides a stricter wish. */
export interface ResolvedLogLevel {
  readonly level: LogLevel;
  readonly warning?: string;
}

/**
 * Decides the log level the way Powertools Logger does (Logger.ts, `setOptions` and
 * `awsLogLevelShortCircuit`): Lambda's advanced logging controls (`AWS_LAMBDA_LOG_LEVEL`, its
 * `FATAL` read as `CRITICAL`) win over everything, because Lambda drops the lines below its level
 * anyway; then `configured` (the code's choice); then `POWERTOOLS_LOG_LEVEL`, then `LOG_LEVEL`;
 * else `INFO`. An unknown value counts as unset. When Lambda's level is stricter than the one the
 * operator asked for, the answer carries Powertools' warning, to be written once. Powertools
 * compares with the code's level only; we also compare with the environment's, since that is where
 * this function's operators set it.
 */
export function resolveLogLevel(
  env: Readonly<Record<string, string | undefined>>,
  configured?: LogLevel,
): ResolvedLogLevel {
  const wanted = configured ?? parseLevel(env.POWERTOOLS_LOG_LEVEL) ?? parseLevel(env.LOG_LEVEL);
  const lambdaLevel = parseLevel(env.AWS_LAMBDA_LOG_LEVEL);
  if (lambdaLevel === undefined) return { level: wanted ?? "INFO" };
  if (wanted === undefined || LOG_LEVEL_RANK[lambdaLevel] <= LOG_LEVEL_RANK[wanted])
    return { level: lambdaLevel };
  return {
    level: lambdaLevel,
    warning: `Current log level (${wanted}) does not match AWS Lambda Advanced Logging Controls minimum log level (${lambdaLevel}). This can lead to data loss, consider adjusting them.`,
  };
}

/** A level name in any case; `WARNING` and Lambda's `FATAL` are aliases. Anything else is `undefined`. */
export function parseLevel(value: string | undefined): LogLevel | undefined {
  const upper = value?.trim().toUpperCase();
  if (upper === "WARNING") return "WARN";
  if (upper === "FATAL") return "CRITICAL";
  return upper !== undefined && Object.hasOwn(LOG_LEVEL_RANK, upper) ? (upper as LogLevel) : undefined;
}
