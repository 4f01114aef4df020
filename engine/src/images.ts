/**
 * ensureImage: use the local image, else pull it within a deadline. Any failure to make
 * the image present is IMAGE_UNAVAILABLE with the engine's reason, except an unreachable
 * engine, which stays ENGINE_UNAVAILABLE.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError, toEngineError } from "./errors.ts";
import { imageHasHealthcheck } from "./health-gate.ts";
import { readProgress } from "./progress.ts";
import { buildAuthConfig, type RegistryAuth } from "./registry-auth.ts";
import { assertValidImageRef } from "./validate.ts";

export const DEFAULT_PULL_TIMEOUT_MS = 60_000;

export async function imageExists(api: EngineApi, image: string): Promise<boolean> {
  try {
    await api.call("inspect image", image, (abortSignal) =>
      api.dial({ path: `/images/${image}/json`, method: "GET", abortSignal, statusCodes: { 200: true, 404: "no such image", 500: "server error" } }),
    );
    return true;
  } catch (err) {
    if (isEngineError(err, "NOT_FOUND")) return false;
    throw err;
  }
}

function unavailable(image: string, reason: string, cause?: unknown): EngineError {
  return new EngineError({
    code: "IMAGE_UNAVAILABLE",
    operation: "pull image",
    resource: image,
    message: `image "${image}" is not present on this host and could not be pulled: ${reason}`,
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

/**
 * Make sure the image is here: the local one, else a pull (with credentials when given).
 * `pull: "always"` pulls even when a local copy exists (a moving tag on a private registry).
 */
export async function ensureImage(api: EngineApi, image: string, timeoutMs = DEFAULT_PULL_TIMEOUT_MS, auth?: RegistryAuth, pull: "missing" | "always" = "missing"): Promise<void> {
  assertValidImageRef(image, "ensure image");
  if (auth !== undefined) buildAuthConfig(image, auth); // INVALID before any engine call
  if (pull === "missing" && (await imageExists(api, image))) return;
  await pullImage(api, image, timeoutMs, auth);
  if (!(await imageExists(api, image))) throw unavailable(image, "the pull ended but the image is still missing");
}

/** Whether the image defines a HEALTHCHECK (then the engine's State.Health gates releases). */
export async function imageHealthcheck(api: EngineApi, image: string): Promise<boolean> {
  const info = await api.call("inspect image", image, (abortSignal) =>
    api.dial<{ Config?: { Healthcheck?: { Test?: string[] | null } | null } | null }>({
      path: `/images/${image}/json`,
      method: "GET",
      abortSignal,
      statusCodes: { 200: true, 404: "no such image", 500: "server error" },
    }),
  );
  return imageHasHealthcheck(info.Config?.Healthcheck?.Test);
}
