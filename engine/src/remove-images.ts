/**
 * Remove the images of one repository (every tag), e.g. a service's build images when the
 * service is deleted. Only repositories under a prefix the caller owns may be named, so a
 * user's own images are never touched.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError, toEngineError } from "./errors.ts";
import { assertValidImageRef } from "./validate.ts";

export const OWNED_IMAGE_PREFIX = "berth-build/";

function assertOwnedRepository(repository: string, operation: string): void {
  assertValidImageRef(repository, operation);
  if (!repository.startsWith(OWNED_IMAGE_PREFIX) || repository.includes(":")) {
    throw new EngineError({
      code: "INVALID",
      operation,
      resource: repository,
      message: `${operation} ${repository}: only ${OWNED_IMAGE_PREFIX}<name> repositories (without a tag) can be removed`,
    });
  }
}

/** Every `<repository>:<tag>` the engine holds. */
async function repositoryTags(api: EngineApi, repository: string, operation: string): Promise<string[]> {
  const images = await api.call(operation, repository, (abortSignal) =>
    api.docker.listImages({ filters: { reference: [repository] }, abortSignal }),
  );
  return images.flatMap((image) => (image.RepoTags ?? []).filter((tag) => tag.startsWith(`${repository}:`)));
}

async function removeTag(api: EngineApi, tag: string, operation: string): Promise<void> {
  await api.call(operation, tag, (abortSignal) => api.docker.getImage(tag).remove({ noprune: false, abortSignal }));
}

export async function removeRepositoryImages(api: EngineApi, repository: string): Promise<number> {
  const operation = "remove images";
  assertOwnedRepository(repository, operation);
  try {
    const tags = await repositoryTags(api, repository, operation);
    for (const tag of tags) await removeTag(api, tag, operation);
    return tags.length;
  } catch (err) {
    throw isEngineError(err) ? err : toEngineError(err, operation, repository);
  }
}

/**
 * Retention of one repository: remove every tag except `keepTags` (full `repo:tag` refs).
 * Never forced: an image a container still uses stays, and is reported in `failures`.
 */
export async function pruneRepositoryImages(
  api: EngineApi,
  repository: string,
  keepTags: string[],
): Promise<{ removed: string[]; failures: string[] }> {
  const operation = "prune images";
  assertOwnedRepository(repository, operation);
  const keep = new Set(keepTags);
  const removed: string[] = [];
  const failures: string[] = [];
  for (const tag of await repositoryTags(api, repository, operation)) {
    if (keep.has(tag)) continue;
    try {
      await removeTag(api, tag, operation);
      removed.push(tag);
    } catch (err) {
      failures.push(`${tag}: ${engineMessage(err)}`);
    }
  }
  return { removed, failures };
}
