import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const APP = fileURLToPath(new URL("../../infra/app.ts", import.meta.url));

// Runs the app as `cdk synth` does: a child process given the context in CDK_CONTEXT_JSON. Only
// invalid contexts are run here, which fail before anything is bundled or written.
function synth(context: Record<string, unknown>, outdir: string) {
  return spawnSync(process.execPath, [APP], {
    env: { PATH: process.env.PATH, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    encoding: "utf8",
  });
}

describe("App: infra/app.ts", () => {
  let outdir: string;

  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), "broker-app-"));
  });

  afterEach(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it("fails a synth with a misspelt key, naming the key it resembles, once and without a stack trace", () => {
    const result = synth({ appId: "abc", redirectAllowList: "https://app.example.com" }, outdir);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "Invalid CDK context (cdk.json or -c key=value):\n" +
        "  - redirectAllowList: is not a setting of this app; did you mean redirectAllowlist?\n",
    );
  });

  it("lists every invalid key in one message", () => {
    const result = synth(
      { appId: "has spaces", throttleRateLimit: "fast", maxSessionLength: "8d", consumerIdPattern: "a.+" },
      outdir,
    );

    expect(result.status).toBe(1);
    expect(result.stderr.split("\n").filter((line) => line.startsWith("  - "))).toEqual([
      expect.stringMatching(/^ {2}- consumerIdPattern: was replaced by consumerIdScope/),
      "  - appId: must be 1 to 128 letters, digits, _ or -",
      "  - throttleRateLimit: must be a number",
      "  - maxSessionLength: must be a duration like 30m, 1h or 7d (s, m, h or d), at most 7d",
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
