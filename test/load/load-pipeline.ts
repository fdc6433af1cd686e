import type { SimulatorFault } from "../../infra/local/apideck-simulator.ts";
import { startLocalStack } from "../../infra/local/local-stack.ts";
import { RETRY_DEFAULTS } from "../../lambda/apideck/retry-policy.ts";
import { divertHandlerLogs } from "./handler-log-diversion.ts";
import { type PhaseFigures, runPhase } from "./load-phase.ts";
import { meterUpstream, type UpstreamCount } from "./upstream-meter.ts";

/** The sizes of a run: the are 20,000 requests at 64 connections per phase. */
export interface LoadOptions {
  /** Requests per measured phase. */
  readonly amount: number;
  readonly connections: number;
  /** Requests sent first and not measured, so JIT and heap warm-up are not counted as growth. */
  readonly warmupAmount: number;
  /** Share of Apideck answers replaced by the fault in the faulty phases. */
  readonly faultRate: number;
  /** Hard stop per phase, in ms. */
  readonly maxPhaseMs: number;
}

/** One measured phase, with what was injected and what the caller should have seen. */
export interface PhaseReport extends PhaseFigures {
  readonly name: string;
  readonly fault?: SimulatorFault;
  readonly upstream: UpstreamCount;
  /** The share of answers that should be errors (percent), and the only status they may have. */
  readonly expectedErrorPct: number;
  readonly mappedStatus?: number;
  readonly observedErrorPct: number;
}

/** Everything a run measured, plus where and how (written to results/latest.json). */
export interface LoadRun {
  readonly options: LoadOptions;
  readonly logLevel: string;
  /** Handler log lines counted and not printed (see handler-log-diversion.ts). */
  readonly handlerLogLines: number;
  readonly phases: readonly PhaseReport[];
}

interface PhasePlan {
  readonly name: string;
  readonly fault?: SimulatorFault;
  readonly mappedStatus?: number;
  /** The probability that one request ends in an error, given the fault rate. */
  readonly errorProbability: (rate: number) => number;
}

// 404 is not retried: each injected fault is exactly one 502 UpstreamConfigurationError. 503 is
// retried, so a caller only sees a 502 UpstreamError when every attempt drew the fault.
const PLANS: readonly PhasePlan[] = [
  { name: "clean", errorProbability: () => 0 },
  {
    name: "Apideck 404 (not retried)",
    fault: { kind: "status", status: 404 },
    mappedStatus: 502,
    errorProbability: (rate) => rate,
  },
  {
    name: "Apideck 503 (retried)",
    fault: { kind: "status", status: 503 },
    mappedStatus: 502,
    errorProbability: (rate) => rate ** RETRY_DEFAULTS.maxAttempts,
  },
];

/**
 * Starts `npm start`'s stack in this process (loopback only) and runs the phases on it, one after
 * the other: startLocalStack sets `process.env` and imports the handler once, so a process gets
 * one stack. The handler logs at WARN unless `POWERTOOLS_LOG_LEVEL` says otherwise: at INFO it
 * writes a line per request, and the run would measure logging.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const logLevel = process.env.POWERTOOLS_LOG_LEVEL;
  const stack = await startLocalStack();
  const logs = divertHandlerLogs();
  const phases: PhaseReport[] = [];
  let handlerLogLines = 0;
  try {
    const simulator = stack.simulator;
    if (simulator === undefined)
      throw new Error("the load test needs the Apideck simulator: unset APIDECK_BASE_URL");
    const phase = {
      url: stack.url,
      credentials: stack.credentials,
      region: stack.region,
      connections: options.connections,
      maxDurationMs: options.maxPhaseMs,
    };
    await runPhase({ ...phase, amount: options.warmupAmount });
    for (const plan of PLANS) {
      const meter = meterUpstream(simulator, options.faultRate, plan.fault);
      const figures = await runPhase({ ...phase, amount: options.amount });
      const upstream = meter.stop();
      const errors = figures.non2xx + figures.socketErrors;
      phases.push({
        name: plan.name,
        ...(plan.fault && { fault: plan.fault }),
        ...(plan.mappedStatus && { mappedStatus: plan.mappedStatus }),
        ...figures,
        upstream,
        expectedErrorPct: plan.errorProbability(plan.fault ? options.faultRate : 0) * 100,
        observedErrorPct: figures.requests > 0 ? (errors / figures.requests) * 100 : 0,
      });
    }
  } finally {
    handlerLogLines = logs.restore();
    await stack.close();
  }
  return { options, logLevel, handlerLogLines, phases };
}
