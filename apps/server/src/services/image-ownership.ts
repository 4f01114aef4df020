/**
 * Images Berth built (`berth-build/<serviceId>:...`, `berth-release/<serviceId>:...`, and their
 * copies on the cluster registry, `127.0.0.1:<port>/berth/<serviceId>`) belong to
 * their service: an image service may run one only when it is that service. They live on the
 * shared engine, so naming another service's tag (or any image by its bare id, which could be
 * one of them) would run another team's code and files.
 */
import type { Db } from "@berth/db";
import { invalidField } from "../errors.ts";

// Also the cluster registry's copies (cluster/registry/): `127.0.0.1:<port>/berth/<serviceId>`,
// which a node that pulled one for its owner keeps and would run for anyone naming it.
const BERTH_IMAGE =
  /^(?:(?:(?:index\.)?docker\.io\/)?(?:berth-build|berth-release)|(?:127\.0\.0\.1|localhost)(?::[0-9]+)?\/berth)\/([^:@/]+)/i;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{12,64}$/i;

/** The service id a Berth-built image reference belongs to, or null for any other image. PURE. */
export function berthImageOwner(image: string): string | null {
  return BERTH_IMAGE.exec(image.trim())?.[1]?.toLowerCase() ?? null;
}

/**
 * Throws INVALID (field `image`) unless `image` may run in the service `serviceId` (null: a
 * service being created, which owns no built image yet) of team `teamId`. The answer is the same
 * whether or not the other service exists, so it tells nothing about other teams.
 */
export async function assertImageUsable(_db: Db, owner: { serviceId: string | null; teamId: string }, image: string): Promise<void> {
  const value = image.trim();
  if (IMAGE_ID.test(value)) throw invalidField("image", "Name the image by repository and tag (e.g. nginx:1.27), not by its id");
  const builtFor = berthImageOwner(value);
  if (builtFor !== null && builtFor !== owner.serviceId?.toLowerCase()) {
    throw invalidField("image", "Images Berth built (berth-build/..., berth-release/...) run only in the service they were built for");
  }
}
