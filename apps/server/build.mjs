/**
 * Builds the control plane ahead of time: src/main.ts, src/worker-main.ts and src/instance-archive-main.ts
 * (infra/backup.sh, infra/restore.sh), with the workspace
 * packages they import (@berth/db, @berth/engine: TypeScript sources), into one ESM file each in
 * dist/, so production runs plain `node dist/main.js` with no TypeScript compiler at run time.
 * Other packages stay external (loaded from node_modules as they are). Each file is written
 * beside its target and renamed over it, so a server starting meanwhile never reads half a file.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;
const dist = path.join(here, "dist");
mkdirSync(dist, { recursive: true });
const staging = mkdtempSync(path.join(here, "dist-staging-"));

const bundleWorkspaceOnly = {
  name: "bundle-workspace-only",
  setup(b) {
    // Bare imports are external unless they name a workspace package (TypeScript sources).
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@berth/") ? undefined : { path: args.path, external: true }));
  },
};

try {
  await build({
    entryPoints: [path.join(here, "src/main.ts"), path.join(here, "src/worker-main.ts"), path.join(here, "src/instance-archive-main.ts")],
    outdir: staging,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [bundleWorkspaceOnly],
  });
  // src/app.ts finds apps/web relative to its own directory: dist/ is at the same depth as src/.
  for (const file of readdirSync(staging)) renameSync(path.join(staging, file), path.join(dist, file));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
