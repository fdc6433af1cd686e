/**
 * Counts and drops the handler's JSON log lines while a load run is going. Even at WARN, a phase
 * with 10% faults writes about two thousand lines (one per mapped error, to stderr through
 * Powertools' console): printed, they would bury the results, and terminal I/O would be measured
 * along with the requests.
 * Anything that is not a JSON line passes through. Returns `restore()`, which gives the count.
 */
export function divertHandlerLogs(): { restore(): number } {
  let lines = 0;
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index] as typeof stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      if (!text.startsWith("{"))
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      lines += text.split("\n").filter((line) => line.startsWith("{")).length;
      // Honour a write callback, as a real write would call it.
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  });
  return {
    restore() {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as typeof stream.write;
      });
      return lines;
    },
  };
}
