import type { ApideckSimulator, SimulatorFault } from "../../infra/local/apideck-simulator.ts";

/** What the Apideck simulator saw during a phase. */
export interface UpstreamCount {
  readonly requests: number;
  /** Requests the simulator answered with the injected fault. */
  readonly faults: number;
}

/** Drain interval: the same as the RSS sampling, so the simulator's log stays a few hundred entries. */
const DRAIN_MS = 250;

/**
 * Plays `fault` on a share `rate` of Apideck requests and counts what the simulator saw. The
 * simulator keeps every request it receives; over 20,000 requests that list alone would show up as
 * RSS growth, so it is counted and emptied every `DRAIN_MS`. `reset()` also forgets the fault rate,
 * which is set again at once (no request can slip in between: both run in the same turn).
 */
export function meterUpstream(simulator: ApideckSimulator, rate = 0, fault?: SimulatorFault) {
  let requests = 0;
  let faults = 0;
  const arm = () => {
    if (fault !== undefined) simulator.setFaultRate(rate, fault);
  };
  const drain = () => {
    requests += simulator.requests.length;
    faults += simulator.requests.filter((request) => request.fault !== undefined).length;
    simulator.reset();
    arm();
  };
  simulator.reset();
  arm();
  const timer = setInterval(drain, DRAIN_MS);
  return {
    /** Counts the last requests and clears the fault rate, so the next phase starts clean. */
    stop(): UpstreamCount {
      clearInterval(timer);
      drain();
      simulator.reset();
      return { requests, faults };
    },
  };
}
