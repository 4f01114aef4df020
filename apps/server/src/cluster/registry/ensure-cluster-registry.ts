/**
 * Make sure the cluster registry runs (engine/src/swarm/cluster-registry.ts): through a manager
 * that answers, pinned to that manager's node, with the stored credentials (made on first use).
 * Idempotent and cheap when nothing changed (a few inspects and one sign-in by the manager's
 * engine). Returns what callers need to push and pull; the password stays inside `auth`.
 */
import { DEFAULT_REGISTRY_READY_TIMEOUT_MS, engineMessage, isEngineError, type RegistryAuth } from "@berth/engine";
import { DomainError } from "../../errors.ts";
import { reachableManager, type ClusterDeps, type Manager } from "../swarm-of.ts";
import type { ClusterRegistryConfig } from "./registry-config.ts";
import { htpasswdLine, registryCredentials } from "./registry-credentials.ts";

export interface ClusterRegistry {
  /** `127.0.0.1:<port>`: the registry's address on every node. */
  address: string;
  port: number;
  /** For pushes, pulls and Swarm services (X-Registry-Auth). Never log or return it. */
  auth: RegistryAuth;
  manager: Manager;
}

export async function ensureClusterRegistry(
  deps: ClusterDeps,
  config: ClusterRegistryConfig,
  timeoutMs: number = DEFAULT_REGISTRY_READY_TIMEOUT_MS,
): Promise<ClusterRegistry> {
  const manager = await reachableManager(deps);
  const nodeId = manager.row.swarmNodeId;
  if (nodeId === null) throw new DomainError("CONFLICT", `${manager.row.name} has no swarm node id`);
  const { port, auth } = await registryCredentials(deps, config.port);
  try {
    await manager.swarm.ensureRegistry(
      {
        image: config.image,
        forwarderImage: config.forwarderImage,
        port,
        managerNodeId: nodeId,
        htpasswd: htpasswdLine(auth),
        encrypted: config.encrypted,
      },
      auth,
      timeoutMs,
    );
  } catch (err) {
    const code = isEngineError(err, "CONFLICT") ? "CONFLICT" : "ENGINE_UNAVAILABLE";
    throw new DomainError(code, `The cluster registry is not available: ${engineMessage(err)}`);
  }
  deps.log.info({ manager: manager.row.name, address: auth.serveraddress }, "cluster registry ready");
  return { address: auth.serveraddress, port, auth, manager };
}
