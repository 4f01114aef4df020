import { realpathSync } from "node:fs";
import path from "node:path";

/**
 * The web build this process serves, pinned at start. BERTH_WEB_DIST_DIR names a directory of
 * apps/web (default .next); when it is a link (`npm run up` switches .next-live between .next-a
 * and .next-b), its target is resolved now, so switching the link for the next build never
 * changes what a running server reads: a build never lands under a running server.
 */
export function pinWebBuild(webDir: string, distDir: string): string {
  let real: string;
  try {
    real = realpathSync(path.resolve(webDir, distDir));
  } catch {
    return distDir; // missing: Next reports it with its own message
  }
  return path.relative(realpathSync(webDir), real) || distDir;
}
