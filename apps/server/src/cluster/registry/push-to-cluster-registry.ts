/**
 * Put an image onto the cluster registry so every node can pull it: ensure the registry, push
 * the image through the manager's engine (which must hold it: Berth builds on its own engine, the
 * manager when the cluster was made on the local server) as `127.0.0.1:<port>/berth/<repository>:<tag>`,
 * and return the digest reference nodes pull: `127.0.0.1:<port>/berth/<repository>@sha256:…`
 * (with `auth` for the Swarm service that runs it).
 */
import { clusterRepository, DockerEngine, engineMessage, isEngineError } from "@berth/engine";
import { DomainError, invalidField } from "../../errors.ts";
import { engineConnectionOf } from "../../servers/server-connection.ts";
import type { ClusterDeps, Manager } from "../swarm-of.ts";
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
  /**
   * Where the image is when the manager lacks it (Berth's own engine, where it was built): it is
   * copied onto the manager first (docker save | docker load over the two Engine APIs, streamed).
   */
  copyFrom?: Pick<DockerEngine, "saveImages">;
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
  const push = () =>
    registry.manager.swarm.pushImage(
      request.image,
      { repository: clusterRepository(registry.port, request.repository), tag: request.tag },
      registry.auth,
    );
  try {
    const pushed = await push().catch(async (err: unknown) => {
      if (!isEngineError(err, "NOT_FOUND") || !request.copyFrom) throw err;
      await copyToManager(deps, registry.manager, request.copyFrom, request.image);
      return push();
    });
    return { reference: pushed.reference, digest: pushed.digest, registry };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (isEngineError(err, "NOT_FOUND")) throw invalidField("image", `${registry.manager.row.name} has no image ${request.image}`);
    if (isEngineError(err, "INVALID")) throw new DomainError("INVALID", engineMessage(err));
    throw new DomainError("ENGINE_UNAVAILABLE", `Pushing ${request.image} to the cluster registry failed: ${engineMessage(err)}`);
  }
}

/** The image from `from` onto the manager's engine (its own transfer deadline: images can be large). */
async function copyToManager(deps: ClusterDeps, manager: Manager, from: Pick<DockerEngine, "saveImages">, image: string): Promise<void> {
  const { tar } = await from.saveImages([image]);
  if (!tar) throw invalidField("image", `Berth's engine has no image ${image} to copy to ${manager.row.name}`);
  await new DockerEngine({ connection: engineConnectionOf(deps, manager.row) }).loadImages(tar);
}
