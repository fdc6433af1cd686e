import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { handlerEsbuildOptions } from "../../infra/bundling-options.ts";

/**
 * The handlers the bench compares, in the order the table shows them: ours, the floor (the same
 * SDK and `fetch`, nothing else), the peer (the official Apideck SDK) and the limit (node:crypto
 * SigV4 and node:http keep-alive, no SDK at all), which every ratio is taken against.
 */
export const VARIANTS = ["ours", "floor", "peer", "limit"] as const;

/** One of {@link VARIANTS}. */
export type Variant = (typeof VARIANTS)[number];

/** Builds a record with one entry per variant, typed as such (Object.fromEntries loses the keys). */
export function perVariant<T>(value: (variant: Variant) => T): Record<Variant, T> {
  return { ours: value("ours"), floor: value("floor"), peer: value("peer"), limit: value("limit") };
}

/** What a variant's bundle is made of: bytes in the output per package (or `lambda/`, `test/`). */
export interface Contributor {
  readonly name: string;
  readonly bytes: number;
}

/** One built bundle, ready to import. */
export interface Bundle {
  readonly variant: Variant;
  readonly file: string;
  /** `file` as a file URL, what the children `import()`. */
  readonly url: string;
  readonly bytes: number;
  /** Largest first, from esbuild's metafile. */
  readonly contributors: readonly Contributor[];
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Where each variant's source starts; ours is whatever the stack ships (`HANDLER_ENTRY`). */
const ENTRIES: Record<Exclude<Variant, "ours">, string> = {
  floor: fileURLToPath(new URL("./fixtures/floor-handler.ts", import.meta.url)),
  peer: fileURLToPath(new URL("./fixtures/peer-handler.ts", import.meta.url)),
  limit: fileURLToPath(new URL("./fixtures/limit-handler.ts", import.meta.url)),
};

/**
 * Bundles the handlers into `outDir/<variant>/index.mjs` with exactly the stack's esbuild
 * options (`handlerEsbuildOptions`), only the entry point swapped (and our aliases dropped) for
 * the other variants, plus
 * a metafile to see what the bytes are. Build outside the repository (a temporary directory) so
 * that, as in Lambda, no node_modules sits above the bundle to hide a missing dependency.
 */
export async function buildBundles(outDir: string): Promise<Bundle[]> {
  return Promise.all(
    VARIANTS.map(async (variant) => {
      const file = join(outDir, variant, "index.mjs");
      const options = handlerEsbuildOptions(file);
      const result = await build({
        ...options,
        // The others are bundled as they would ship without this project's Lambda-only swaps
        // (LAMBDA_ONLY_ALIASES): the floor and the peer with the SDK's standard credential chain.
        ...(variant === "ours" ? {} : { entryPoints: [ENTRIES[variant]], alias: {} }),
        metafile: true,
        logLevel: "warning",
      });
      const output = onlyOutput(result.metafile);
      return {
        variant,
        file,
        url: pathToFileURL(file).href,
        bytes: output.bytes,
        contributors: contributorsOf(output),
      };
    }),
  );
}

/** The one output of a single-entry build, whatever path form esbuild chose for its key. */
function onlyOutput(metafile: Metafile): Metafile["outputs"][string] {
  const outputs = Object.values(metafile.outputs);
  if (outputs.length !== 1) throw new Error(`expected one bundle output, got ${outputs.length}`);
  return outputs[0] as Metafile["outputs"][string];
}

/**
 * Sums the output bytes per package. A path's last `node_modules/<name>` (or `@scope/name`) names
 * the package, so a nested copy counts for the package that was actually bundled; our own files
 * group under their top folder.
 */
function contributorsOf(output: Metafile["outputs"][string]): Contributor[] {
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const packages = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
    const name = packages.at(-1)?.[1] ?? `${relative(repoRoot, join(process.cwd(), path)).split("/")[0]}/`;
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .filter((c) => c.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * The limit handler's HTTP client (fixtures/keep-alive-client.ts) as its own bundle, built the
 * same way, for the warm child's baseline request; returns its file URL.
 */
export async function buildClientBundle(outDir: string): Promise<string> {
  const file = join(outDir, "client", "index.mjs");
  await build({
    ...handlerEsbuildOptions(file),
    entryPoints: [fileURLToPath(new URL("./fixtures/keep-alive-client.ts", import.meta.url))],
    logLevel: "warning",
  });
  return pathToFileURL(file).href;
}
