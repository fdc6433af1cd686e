import { spawn } from "node:child_process";

/** What a child script reported (its `{"bench": ...}` line) and how long the whole process took. */
export interface ChildResult<T> {
  readonly report: T;
  /** From spawn to exit, as seen by the parent: Node's start-up, the import and the work. */
  readonly processMs: number;
  /** The last few thousand characters of its stderr (valgrind's summary, say). */
  readonly stderrTail: string;
}

/** Options of {@link runChild}. */
export interface ChildOptions {
  /** The child's whole environment: nothing of the parent's leaks in, as in a Lambda instance. */
  readonly env: Record<string, string>;
  /** Node flags before the script, e.g. `--expose-gc`. @default [] */
  readonly nodeFlags?: readonly string[];
  /** A command that runs Node, e.g. `["valgrind", "--tool=callgrind"]`. @default [] (Node itself) */
  readonly wrapper?: readonly string[];
  /** Killed after this long. @default 300000 */
  readonly timeoutMs?: number;
  /**
   * Called for each `{"benchEvent": name}` line the child writes before its report, with the
   * child's pid: the Lambda model's child says "init" when its INIT is done and waits for a signal.
   * A rejection kills the child and fails the run.
   */
  readonly onEvent?: (name: string, pid: number) => Promise<void> | void;
}

const REPORT_PREFIX = '{"bench":';
const EVENT_PREFIX = '{"benchEvent":';

/**
 * Runs `script` with this very Node binary (`process.execPath`: the project's Node 24 under npm
 * scripts, never whatever `node` is first on PATH) and resolves with its report line. Other stdout
 * lines (the handler's logs) are read and dropped as they come, so a 10,000-request run does not
 * pile them up in memory; a pipe left unread would block the child on Linux.
 */
export function runChild<T>(
  script: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<ChildResult<T>> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const argv = [
      ...(options.wrapper ?? []),
      process.execPath,
      ...(options.nodeFlags ?? []),
      script,
      ...args,
    ];
    const [command, ...commandArgs] = argv as [string, ...string[]];
    const child = spawn(command, commandArgs, {
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 300_000,
    });
    let pending = "";
    let reportLine: string | undefined;
    let stderr = "";
    let eventError: Error | undefined;
    const onEvent = (line: string) => {
      const name = (JSON.parse(line) as { benchEvent: string }).benchEvent;
      Promise.resolve()
        .then(() => options.onEvent?.(name, child.pid as number))
        .catch((error: Error) => {
          eventError = error;
          child.kill("SIGKILL");
        });
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith(REPORT_PREFIX)) reportLine = line;
        else if (line.startsWith(EVENT_PREFIX)) onEvent(line);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const processMs = performance.now() - startedAt;
      if (pending.startsWith(REPORT_PREFIX)) reportLine = pending;
      if (eventError !== undefined) {
        reject(eventError);
        return;
      }
      if (code !== 0 || reportLine === undefined) {
        const why = signal ? `was killed by ${signal}` : `exited with ${code}`;
        reject(new Error(`bench child ${script} ${why} without a report\n${stderr}`));
        return;
      }
      resolve({ report: JSON.parse(reportLine) as T, processMs, stderrTail: stderr });
    });
  });
}
