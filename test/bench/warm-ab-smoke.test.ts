import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

// `npm run bench:ab` with a few invocations, so a broken script shows up in `npm test`. Structure
// only: no figure is compared with a threshold.
describe("Bench: warm A/B", () => {
  it("compares a git ref's build with the working tree's in one warm process, then removes its worktree", async () => {
    const worktrees = async () => (await run("git", ["worktree", "list", "--porcelain"])).stdout;
    const before = await worktrees();

    const { stdout } = await run(process.execPath, ["test/bench/warm-ab.ts", "HEAD"], {
      env: { ...process.env, BENCH_AB_INVOCATIONS: "20", BENCH_AB_ROUNDS: "1" },
      timeout: 90_000,
    });

    const [round] = stdout.split("\n").filter((line) => /^\s+1\s/.test(line));
    const figures = (round ?? "").trim().split(/\s+/).slice(1).map(Number);
    expect(figures).toHaveLength(6);
    expect(figures.every((value) => Number.isFinite(value) && value > 0)).toBe(true);
    expect(await worktrees()).toBe(before);
  }, 90_000);

  it("fails on a ref git does not know, leaving no worktree behind", async () => {
    const worktrees = async () => (await run("git", ["worktree", "list", "--porcelain"])).stdout;
    const before = await worktrees();

    await expect(
      run(process.execPath, ["test/bench/warm-ab.ts", "no-such-ref-for-bench-ab"], { timeout: 60_000 }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining("no-such-ref-for-bench-ab") });
    expect(await worktrees()).toBe(before);
  }, 60_000);

  it("refuses to run without a ref, saying how to call it", async () => {
    await expect(run(process.execPath, ["test/bench/warm-ab.ts"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("usage: npm run bench:ab -- <git ref"),
    });
  });
});
