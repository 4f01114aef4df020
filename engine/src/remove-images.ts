/**
 * Remove the images of one repository (every tag), e.g. a service's build images when the
 * service is deleted. Only repositories under a prefix the caller owns may be named, so a
 * user's own images are never touched.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, isEngineError, toEngineError } from "./errors.ts";
import { assertValidImageRef } from "./validate.ts";

export const OWNED_IMAGE_PREFIX = "berth-build/";

export async function removeRepositoryImages(api: EngineApi, repository: string): Promise<number> {
  const operation = "remove images";
  assertValidImageRef(repository, operation);
  if (!repository.startsWith(OWNED_IMAGE_PREFIX) || repository.includes(":")) {
    throw new EngineError({ code: "INVALID", operation, resource: repository, message: `${operation} ${repository}: only ${OWNED_IMAGE_PREFIX}<name> repositories (without a tag) can be removed` });
  }
  try {
    const images = await api.call(operation, repository, (abortSignal) => api.docker.listImages({ filters: { reference: [repository] }, abortSignal }));
    let removed = 0;
    for (const image of images) {
      for (const tag of image.RepoTags ?? []) {
        if (!tag.startsWith(`${repository}:`)) continue;
        await api.call(operation, tag, (abortSignal) => api.docker.getImage(tag).remove({ noprune: false, abortSignal }));
        removed += 1;
      }
    }
    return removed;
  } catch (err) {
    throw isEngineError(err) ? err : toEngineError(err, operation, repository);
  }
}
