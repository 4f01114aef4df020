import { expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateDeployKey } from "./deploy-key.ts";

it("OpenSSH itself loads the generated private key and derives the same public key", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-key-test-"));
  try {
    const key = generateDeployKey("berth-deploy-key-test");
    const file = path.join(dir, "id");
    writeFileSync(file, key.privateKey, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
    expect(`${derived.split(" ").slice(0, 2).join(" ")} berth-deploy-key-test`).toBe(key.publicKey);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
