import { vi } from "vitest";

/** Everything written to stdout and stderr (Powertools Logger writes JSON lines to stdout). */
export interface LogCapture {
  readonly text: () => string;
  readonly lines: () => Record<string, unknown>[];
  /** Stops capturing (also done by vitest's restoreMocks after each test). */
  readonly stop: () => void;
}

/**
 * Captures process output for the rest of the test (vitest's restoreMocks undoes it). Output is
 * swallowed, so a test that logs a secret fails by assertion rather than by leaking it to CI.
 */
export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(record),
    vi.spyOn(process.stderr, "write").mockImplementation(record),
  ];
  return {
    stop: () => {
      for (const spy of spies) spy.mockRestore();
    },
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Asserts that none of `secrets` (non-empty strings) appears anywhere in `text`. */
export function findLeaks(text: string, secrets: readonly (string | undefined)[]): string[] {
  return secrets.filter((secret): secret is string => !!secret && text.includes(secret));
}
