import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A CFS CPU quota: a cgroup v1 `cpu` group that processes can be moved into. */
export interface CpuGroup {
  /** The group's directory under the `cpu` hierarchy. */
  readonly dir: string;
  readonly quotaUs: number;
  readonly periodUs: number;
  /** Moves a whole process (every thread) into the group. */
  addProcess(pid: number): void;
  /** Periods in which the group ran out of quota so far (`cpu.stat` nr_throttled). */
  throttledPeriods(): number;
  /** Removes the group; every process in it must have exited. Safe to call twice. */
  remove(): void;
}

/** Why no group could be made, for the bench to print. */
export interface NoCpuGroup {
  readonly reason: string;
}

/** The CFS period every group uses: the kernel's default, 100 ms. */
export const CFS_PERIOD_US = 100_000;

/**
 * Where the cgroup v1 `cpu` controller is mounted, or undefined. On these machines cgroup v2 has no
 * cpu controller, so only v1 can throttle; a v1 mount whose options include `cpu` (not only
 * `cpuacct` or `cpuset`) is the one.
 */
export function findCpuMount(mounts = readFileSync("/proc/self/mounts", "utf8")): string | undefined {
  for (const line of mounts.split("\n")) {
    const [, dir, type, options = ""] = line.split(" ");
    if (type === "cgroup" && options.split(",").includes("cpu")) return dir;
  }
  return undefined;
}

/** This process's own group in the v1 `cpu` hierarchy (`/` at the root), from /proc/self/cgroup. */
function ownCpuPath(): string {
  for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
    const [, controllers = "", path = "/"] = line.split(":");
    if (controllers.split(",").includes("cpu")) return path;
  }
  return "/";
}

/**
 * Creates a `cpu` group limited to `cpuFraction` of one core (quota = fraction × 100 ms period),
 * inside this process's own group. Mounts the v1 hierarchy first when none is mounted (root
 * only). Returns why not when any step is refused: not root, no cgroup v1, a read-only mount.
 */
export function createCpuGroup(cpuFraction: number, name: string): CpuGroup | NoCpuGroup {
  if (process.getuid?.() !== 0) return { reason: "not running as root" };
  let mount = findCpuMount();
  if (mount === undefined) {
    const dir = join(tmpdir(), "vault-bench-cgroup-cpu");
    try {
      mkdirSync(dir, { recursive: true });
      execFileSync("mount", ["-t", "cgroup", "-o", "cpu,cpuacct", "none", dir], { stdio: "pipe" });
      mount = dir;
    } catch (error) {
      return { reason: `no cgroup v1 cpu controller, and mounting one failed: ${(error as Error).message}` };
    }
  }
  const dir = join(mount, ownCpuPath(), name);
  const quotaUs = Math.max(1000, Math.round(cpuFraction * CFS_PERIOD_US));
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
    writeFileSync(join(dir, "cpu.cfs_quota_us"), String(quotaUs));
  } catch (error) {
    if (existsSync(dir)) rmdirSync(dir);
    return { reason: `cannot set a CPU quota under ${mount}: ${(error as Error).message}` };
  }
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off("exit", removeOnExit);
    rmdirSync(dir);
  };
  // A bench stopped halfway (an exception past its finally, Ctrl-C) still leaves no group behind.
  const removeOnExit = () => {
    try {
      remove();
    } catch {
      // A child still inside keeps the group busy; nothing more can be done while exiting.
    }
  };
  process.on("exit", removeOnExit);
  return {
    dir,
    quotaUs,
    periodUs: CFS_PERIOD_US,
    addProcess: (pid) => writeFileSync(join(dir, "cgroup.procs"), String(pid)),
    throttledPeriods: () => {
      const stat = readFileSync(join(dir, "cpu.stat"), "utf8");
      return Number(/^nr_throttled (\d+)$/m.exec(stat)?.[1] ?? Number.NaN);
    },
    remove,
  };
}

/** Narrows {@link createCpuGroup}'s answer. */
export function isCpuGroup(group: CpuGroup | NoCpuGroup): group is CpuGroup {
  return "dir" in group;
}
