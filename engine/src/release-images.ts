/**
 * Per-release image tags and their retention. Every release tags its image
 * `berth-release/<service>:<deployment>`; retention keeps the tags of the deployments the caller
 * names (the releases rollback can reach, the live one, those in flight) and removes the
 * service's other `berth-release/` tags -- one image redeployed keeps only its reachable tags, not
 * one per deployment. A tag delete frees the image only when nothing else holds it; an image the
 * service's containers use keeps a tag. Volumes are never pruned, here or anywhere.
 */
import { createHash } from "node:crypto";
import type { EngineApi } from "./engine-api.ts";
import { engineMessage, isEngineError } from "./errors.ts";
import { managedFilters } from "./labels.ts";
import { assertValidId } from "./validate.ts";

export const RELEASE_REPOSITORY_PREFIX = "berth-release/";
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 16);
}

/** `berth-release/<serviceId or h-hash>:<deploymentId or h-hash>`. PURE. */
export function buildReleaseImageRef(serviceId: string, deploymentId: string): { repository: string; tag: string; ref: string } {
  assertValidId(serviceId, "service id", "tag release image");
  assertValidId(deploymentId, "deployment id", "tag release image");
  // Repository components are lowercase; ids that are not valid as-is are hashed (still deterministic).
  const service = PATH_COMPONENT.test(serviceId) ? serviceId : `h-${shortHash(serviceId)}`;
  const tag = TAG.test(deploymentId) ? deploymentId : `h-${shortHash(deploymentId)}`;
  const repository = `${RELEASE_REPOSITORY_PREFIX}${service}`;
  return { repository, tag, ref: `${repository}:${tag}` };
}

export async function tagReleaseImage(api: EngineApi, image: string, serviceId: string, deploymentId: string): Promise<string> {
  const { repository, tag, ref } = buildReleaseImageRef(serviceId, deploymentId);
  await api.call("tag image", ref, (abortSignal) =>
    api.dial({
      path: `/images/${image}/tag?`,
      method: "POST",
      options: { repo: repository, tag },
      abortSignal,
      statusCodes: { 200: true, 201: true, 400: "bad parameter", 404: "no such image", 409: "conflict", 500: "server error" },
    }),
  );
  return ref;
}

interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
}

export interface RetentionInput {
  /** Image id -> its tags in the service's release repository. */
  images: Array<{ id: string; tags: string[] }>;
  /** Image ids some container (of any state) was created from. */
  inUse: Set<string>;
  /** The tags to keep. */
  keep: Set<string>;
}

/**
 * The tags to remove: every tag not kept, except that an image a container uses keeps one (the
 * engine refuses to untag it to nothing, and its container's image stays named). PURE.
 */
export function planRetention(input: RetentionInput): string[] {
  return input.images.flatMap((img) => {
    const drop = img.tags.filter((t) => !input.keep.has(t)).sort();
    return input.inUse.has(img.id) && drop.length === img.tags.length ? drop.slice(1) : drop;
  });
}

/** Apply retention to one service's release tags; returns the tags removed and the failures. */
export async function pruneReleaseImages(
  api: EngineApi,
  serviceId: string,
  keepDeploymentIds: string[],
): Promise<{ removed: string[]; failures: string[] }> {
  const { repository } = buildReleaseImageRef(serviceId, "x");
  const keep = new Set(keepDeploymentIds.map((d) => buildReleaseImageRef(serviceId, d).ref));
  const listed = await api.call("list images", repository, (abortSignal) =>
    api.dial<ImageSummary[]>({
      path: "/images/json?",
      method: "GET",
      options: { filters: JSON.stringify({ reference: [repository] }) },
      abortSignal,
      statusCodes: { 200: true, 500: "server error" },
    }),
  );
  const images = listed.map((img) => ({ id: img.Id, tags: (img.RepoTags ?? []).filter((t) => t.startsWith(`${repository}:`)) }));
  // "In use" means by this service's containers: another service's use of the same image is
  // protected by its own tag, and deleting a tag never deletes an image a container uses.
  const containers = await api.call("list containers", serviceId, (abortSignal) =>
    api.docker.listContainers({ all: true, filters: managedFilters(serviceId), abortSignal }),
  );
  const inUse = new Set(containers.map((c) => c.ImageID));
  const removed: string[] = [];
  const failures: string[] = [];
  for (const tag of planRetention({ images, inUse, keep })) {
    try {
      await api.call("remove image tag", tag, (abortSignal) =>
        api.dial({
          path: `/images/${tag}?`,
          method: "DELETE",
          options: { noprune: false },
          abortSignal,
          statusCodes: { 200: true, 404: "no such image", 409: "conflict", 500: "server error" },
        }),
      );
      removed.push(tag);
    } catch (err) {
      // Gone already is fine; in use (a container created meanwhile) is kept, and reported.
      if (!isEngineError(err, "NOT_FOUND")) failures.push(`${tag}: ${engineMessage(err)}`);
    }
  }
  return { removed, failures };
}
