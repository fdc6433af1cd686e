// Preloaded (`--import`) into children that run under valgrind, which makes a process about fifty
// times slower: every setTimeout waits BENCH_TIMER_STRETCH times longer, so a timeout meant for
// real time (the SDK's 1 s connection and 3 s request timeouts, our attempt timers) does not fire
// in a process that is merely being counted. Loaded the same way for every variant; Node's own
// built-ins that captured setTimeout before this ran keep the real one, which none of them time
// a request with.
import { syncBuiltinESMExports } from "node:module";
import timers from "node:timers";

const stretch = Number(process.env.BENCH_TIMER_STRETCH ?? "1");
const realSetTimeout = globalThis.setTimeout;

/** setTimeout with the delay multiplied; everything else (args, the returned Timeout) as is. */
function stretchedSetTimeout(callback, ms, ...args) {
  return realSetTimeout(callback, (Number(ms) || 0) * stretch, ...args);
}

globalThis.setTimeout = stretchedSetTimeout;
timers.setTimeout = stretchedSetTimeout;
syncBuiltinESMExports();
