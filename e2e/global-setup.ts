import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Builds the local test images (berth-test/hello ...): no registry is reachable, so the
 * image a spec deploys must exist on the engine first. Idempotent and hash-checked, so a
 * second run costs about a second. Runs after the web server has started.
 */
export default function globalSetup(): void {
  const repoRoot = path.resolve(import.meta.dirname, "..");
  execFileSync("bash", ["infra/build-test-images.sh"], { cwd: repoRoot, stdio: "inherit" });
}
