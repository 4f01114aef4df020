/**
 * The cluster registry's credentials: user `berth` and a generated 256-bit password, sealed in
 * the cluster row (`registryPassword`, with `registryPort`). Made once, by a conditional update
 * that only fills an empty column, so two processes agree on one password. The password leaves
 * this module only inside a RegistryAuth (X-Registry-Auth headers, /auth bodies), never in a log,
 * an answer, an argv or the audit; the registry itself sees only a bcrypt hash.
 */
import { createHmac, randomBytes } from "node:crypto";
import { CLUSTER_REGISTRY, clusterRegistryAddress, type RegistryAuth } from "@berth/engine";
import bcrypt from "bcryptjs";
import type { Deps } from "../../deps.ts";
import { DomainError } from "../../errors.ts";

export interface RegistryCredentials {
  port: number;
  auth: RegistryAuth & { username: string; password: string };
}

const CLUSTER_OFF = "Cluster mode is off: create a cluster on a server first";

/** The credentials, made (with `port`) if the cluster has none yet. */
export async function registryCredentials(deps: Pick<Deps, "db" | "box">, port: number): Promise<RegistryCredentials> {
  let row = await deps.db.cluster.findUnique({ where: { id: 1 } });
  if (!row) throw new DomainError("CONFLICT", CLUSTER_OFF);
  if (row.registryPassword === null || row.registryPort === null) {
    const password = randomBytes(32).toString("base64url");
    await deps.db.cluster.updateMany({
      where: { id: 1, registryPassword: null },
      data: { registryPassword: deps.box.seal(password), registryPort: port },
    });
    row = await deps.db.cluster.findUnique({ where: { id: 1 } });
    if (!row || row.registryPassword === null || row.registryPort === null) throw new DomainError("CONFLICT", CLUSTER_OFF);
  }
  return credentialsOf(deps, row.registryPassword, row.registryPort);
}

/** The stored credentials, or null while the registry has not been made (or cluster mode is off). */
export async function storedRegistryCredentials(deps: Pick<Deps, "db" | "box">): Promise<RegistryCredentials | null> {
  const row = await deps.db.cluster.findUnique({ where: { id: 1 } });
  if (!row || row.registryPassword === null || row.registryPort === null) return null;
  return credentialsOf(deps, row.registryPassword, row.registryPort);
}

function credentialsOf(deps: Pick<Deps, "box">, sealed: string, port: number): RegistryCredentials {
  return {
    port,
    auth: { serveraddress: clusterRegistryAddress(port), username: CLUSTER_REGISTRY.username, password: deps.box.open(sealed) },
  };
}

/** bcrypt at cost 10 takes ~0.1-0.5 s in JavaScript: the last line is kept (a pure function of the password). */
let lastLine: { key: string; line: string } | null = null;

/**
 * The registry's htpasswd line. Its bcrypt salt is derived from the password (which is random,
 * so the salt is too), making the line -- and the Swarm secret named by its hash -- the same on
 * every call: ensuring the registry again changes nothing.
 */
export function htpasswdLine(auth: { username: string; password: string }): string {
  const key = `${auth.username}\0${auth.password}`;
  if (lastLine?.key === key) return lastLine.line;
  const salt = createHmac("sha256", auth.password).update("berth cluster registry salt").digest().subarray(0, 16);
  const line = `${auth.username}:${bcrypt.hashSync(auth.password, `$2b$10$${bcrypt.encodeBase64(salt, 16)}`)}`;
  lastLine = { key, line };
  return line;
}
