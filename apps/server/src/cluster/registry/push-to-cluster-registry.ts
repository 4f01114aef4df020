/**
 * Put an image onto the cluster registry so every node can pull it: ensure the registry, push
 * the image through the manager's engine (which must hold it: Berth builds on its own engine, the
 * manager when the cluster was made on the local server) as `127.0.0.1:<port>/berth/<repository>:<tag>`,
 * and return the digest reference nodes pull: `127.0.0.1:<port>/berth/<repository>@sha256:…`
 * (with `auth` for the Swarm service that runs it).
 */
import { clusterRepository, engineMessage, isEngineError } from "@berth/engine";
import { DomainError, invalidField } from "../../errors.ts";
import type { ClusterDeps } from "../swarm-of.ts";
import { ensureClusterRegistry, type ClusterRegistry } from "./ensure-cluster-registry.ts";
import type { ClusterRegistryConfig } from "./registry-config.ts";

/** Lower-case path components as Docker allows them (e.g. `<serviceId>` or `team/app`). */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface PushRequest {
  /** A local image on the manager's engine (tag or id). */
  image: string;
  /** Where under `berth/` it goes. */
  repository: string;
  tag: string;
}

export interface PushedToCluster {
  /** `127.0.0.1:<port>/berth/<repository>@sha256:…` */
  reference: string;
  digest: string;
  registry: ClusterRegistry;
}

export async function pushToClusterRegistry(
  deps: ClusterDeps,
  config: ClusterRegistryConfig,
  request: PushRequest,
): Promise<PushedToCluster> {
  if (!REPOSITORY.test(request.repository) || request.repository.length > 200)
    throw invalidField("repository", "lower-case letters, digits and . _ - separators, path parts joined by /");
  if (!TAG.test(request.tag)) throw invalidField("tag", "letters, digits, _ . - (at most 128), not starting with . or -");
  const registry = await ensureClusterRegistry(deps, config);
  try {
    const pushed = await registry.manager.swarm.pushImage(
      request.image,
      { repository: clusterRepository(registry.port, request.repository), tag: request.tag },
      registry.auth,
    );
    return { reference: pushed.reference, digest: pushed.digest, registry };
  } catch (err) {
    if (isEngineError(err, "NOT_FOUND")) throw invalidField("image", `${registry.manager.row.name} has no image ${request.image}`);
    if (isEngineError(err, "INVALID")) throw new DomainError("INVALID", engineMessage(err));
    throw new DomainError("ENGINE_UNAVAILABLE", `Pushing ${request.image} to the cluster registry failed: ${engineMessage(err)}`);
  }
}
