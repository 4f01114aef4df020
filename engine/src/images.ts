/**
 * ensureImage: use the local image, else pull it within a deadline ("missing"), or pull
 * first and fall back to a local copy with a warning ("always"). Any failure to make the
 * image present is IMAGE_UNAVAILABLE with the engine's reason, except an unreachable engine,
 * which stays ENGINE_UNAVAILABLE. Returns the image's Id and first repo digest.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError, orNullIfMissing, toEngineError } from "./errors.ts";
import { imageHasHealthcheck } from "./health-gate.ts";
import { repoDigestFor } from "./image-ref.ts";
import { readProgress } from "./progress.ts";
import { buildAuthConfig, type RegistryAuth } from "./registry-auth.ts";
import { assertValidImageRef } from "./validate.ts";

export const DEFAULT_PULL_TIMEOUT_MS = 60_000;

interface ImageInspect {
  Id: string;
  RepoDigests?: string[] | null;
  Config?: { Healthcheck?: { Test?: string[] | null } | null } | null;
}

/** The image's inspect data, or null when it is not on this host. */
export async function inspectImage(api: EngineApi, image: string): Promise<ImageInspect | null> {
  return orNullIfMissing(
    api.call("inspect image", image, (abortSignal) =>
      api.dial<ImageInspect>({
        path: `/images/${image}/json`,
        method: "GET",
        abortSignal,
        statusCodes: { 200: true, 404: "no such image", 500: "server error" },
      }),
    ),
  );
}

export async function imageExists(api: EngineApi, image: string): Promise<boolean> {
  return (await inspectImage(api, image)) !== null;
}

/** What ensureImage made present. */
export interface EnsuredImage {
  /** The image's Id, `sha256:…`. */
  imageId: string;
  /** The RepoDigests entry of the reference's repository; null for an image not pulled from or pushed to it. */
  repoDigest: string | null;
  /** Whether the image defines a HEALTHCHECK (then the engine's State.Health gates releases). */
  healthcheck: boolean;
  /** Set when a `pull: "always"` failed and the local copy is used instead. */
  warning?: string;
}

function ensured(image: string, info: ImageInspect, warning?: string): EnsuredImage {
  return {
    imageId: info.Id,
    repoDigest: repoDigestFor(image, info.RepoDigests),
    healthcheck: imageHasHealthcheck(info.Config?.Healthcheck?.Test),
    ...(warning === undefined ? {} : { warning }),
  };
}

function unavailable(image: string, reason: string, cause?: unknown): EngineError {
  return new EngineError({
    code: "IMAGE_UNAVAILABLE",
    operation: "pull image",
    resource: image,
    message: `image "${image}" is not present on this host and could not be pulled: ${reason}`,
    details: { reason },
    cause,
  });
}

async function pullImage(api: EngineApi, image: string, timeoutMs: number, auth?: RegistryAuth): Promise<void> {
  const authconfig = auth === undefined ? undefined : buildAuthConfig(image, auth);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const stream = await api.docker.pull(image, { abortSignal: controller.signal, ...(authconfig === undefined ? {} : { authconfig }) });
    const result = await readProgress(stream);
    if (result.error !== null) throw unavailable(image, result.error);
  } catch (err) {
    if (isEngineError(err)) throw err;
    if (controller.signal.aborted) throw unavailable(image, `the pull did not finish within ${timeoutMs / 1000} s`, err);
    const wrapped = toEngineError(err, "pull image", image);
    if (wrapped.code === "ENGINE_UNAVAILABLE") throw wrapped;
    throw unavailable(image, engineMessage(err), err);
  } finally {
    clearTimeout(timer);
  }
}

export interface EnsureImageRequest {
  timeoutMs?: number;
  auth?: RegistryAuth | undefined;
  pull?: "missing" | "always" | undefined;
}

/** The short reason of a failed pull, without the "image … could not be pulled:" frame. */
function pullReason(err: unknown): string {
  const details = isEngineError(err) ? err.details : undefined;
  return typeof details?.reason === "string" ? details.reason : engineMessage(err);
}

/**
 * Make sure the image is here: the local one, else a pull (with credentials when given).
 * `pull: "always"` pulls first (a moving tag); if that fails and a local copy exists, the
 * local copy is used and a warning says so.
 */
export async function ensureImage(api: EngineApi, image: string, request: EnsureImageRequest = {}): Promise<EnsuredImage> {
  assertValidImageRef(image, "ensure image");
  const { auth, pull = "missing", timeoutMs = DEFAULT_PULL_TIMEOUT_MS } = request;
  if (auth !== undefined) buildAuthConfig(image, auth); // INVALID before any engine call
  if (pull !== "missing" && pull !== "always") {
    throw new EngineError({
      code: "INVALID",
      operation: "ensure image",
      resource: image,
      message: `ensure image ${image}: pull must be "missing" or "always"`,
    });
  }
  if (pull === "missing") {
    const local = await inspectImage(api, image);
    if (local !== null) return ensured(image, local);
    await pullImage(api, image, timeoutMs, auth);
  } else {
    try {
      await pullImage(api, image, timeoutMs, auth);
    } catch (err) {
      if (!isEngineError(err, "IMAGE_UNAVAILABLE")) throw err;
      const local = await inspectImage(api, image);
      if (local === null) throw err;
      return ensured(image, local, `could not pull ${image} (${pullReason(err)}); released the local copy ${local.Id}`);
    }
  }
  const info = await inspectImage(api, image);
  if (info === null) throw unavailable(image, "the pull ended but the image is still missing");
  return ensured(image, info);
}

/** Whether the image defines a HEALTHCHECK (then the engine's State.Health gates releases). */
export async function imageHealthcheck(api: EngineApi, image: string): Promise<boolean> {
  const info = await inspectImage(api, image);
  if (info === null)
    throw new EngineError({
      code: "NOT_FOUND",
      operation: "inspect image",
      resource: image,
      message: `inspect image ${image}: no such image`,
    });
  return imageHasHealthcheck(info.Config?.Healthcheck?.Test);
}
