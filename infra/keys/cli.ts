import { runKeysCli } from "./keys-cli.ts";

// `npm run keys -- <command>`: the operator's broker-key tool (see keys-cli.ts and the README).
// `npm run -s keys -- create ...` keeps npm's own header off stdout, so stdout is the key alone.
const code = await runKeysCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
