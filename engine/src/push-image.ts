/**
 * Pushing a local image to a registry: tag it `<repository>:<tag>` (POST /images/{name}/tag),
 * push that tag (POST /images/{name}/push, credentials in the X-Registry-Auth header only),
 * read the progress stream to its end and return the manifest digest the registry stored.
 * Credentials never reach a URL, an argv or an error message.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError } from "./errors.ts";
import { inspectImage } from "./images.ts";
import { readProgress } from "./progress.ts";
import { buildAuthConfig, type RegistryAuth } from "./registry-auth.ts";
import { isValidImageRef } from "./validate.ts";

/** Pushing every layer of a large image can take long: the deadline covers the whole push. */
export const DEFAULT_PUSH_TIMEOUT_MS = 10 * 60_000;
const OPERATION = "push image";
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_LINE = /digest: (sha256:[a-f0-9]{64})/;

export interface PushTarget {
  /** `registry-host[:port]/path`, without tag or digest. */
  repository: string;
  tag: string;
}

export interface PushedImage {
  /** `sha256:…`, the manifest digest. */
  digest: string;
  /** `<repository>@<digest>`: what any node pulls. */
  reference: string;
}

function invalid(resource: string, message: string): EngineError {
  return new EngineError({ code: "INVALID", operation: OPERATION, resource, message: `${OPERATION}: ${message}` });
}

function failedPush(resource: string, reason: string): EngineError {
  return new EngineError({
    code: "ENGINE_ERROR",
    operation: OPERATION,
    resource,
    message: `${OPERATION} ${resource}: ${reason}`,
    details: { reason },
  });
}

export async function pushImage(
  api: EngineApi,
  source: string,
  target: PushTarget,
  auth: RegistryAuth,
  timeoutMs: number = DEFAULT_PUSH_TIMEOUT_MS,
): Promise<PushedImage> {
  if (!isValidImageRef(source)) throw invalid(String(source), `invalid image reference ${JSON.stringify(source)}`);
  if (!isValidImageRef(target.repository) || /[@]|:[^/]*$/.test(target.repository.split("/").slice(1).join("/")))
    throw invalid(String(target.repository), `invalid repository ${JSON.stringify(target.repository)}`);
  if (!TAG.test(target.tag)) throw invalid(String(target.tag), `invalid tag ${JSON.stringify(target.tag)}`);
  const ref = `${target.repository}:${target.tag}`;
  const authconfig = buildAuthConfig(ref, auth);
  if ((await inspectImage(api, source)) === null)
    throw new EngineError({
      code: "NOT_FOUND",
      operation: OPERATION,
      resource: source,
      message: `${OPERATION}: no image ${source} on ${api.target}`,
    });
  await api.call("tag image", source, (abortSignal) =>
    api.docker.getImage(source).tag({ repo: target.repository, tag: target.tag, abortSignal }),
  );
  const lines = await api
    .call(
      OPERATION,
      ref,
      async (abortSignal) => {
        const stream = await api.docker.getImage(target.repository).push({ tag: target.tag, authconfig, abortSignal });
        const result = await readProgress(stream as NodeJS.ReadableStream);
        if (result.error !== null) throw failedPush(ref, result.error);
        return result.lines;
      },
      timeoutMs,
    )
    .catch((err: unknown) => {
      // Rebuilt without `cause`: the original request carried the credentials.
      if (isEngineError(err)) throw new EngineError({ code: err.code, operation: OPERATION, resource: ref, message: err.message });
      throw failedPush(ref, engineMessage(err));
    });
  const digest = lines.map((l) => DIGEST_LINE.exec(l)?.[1]).find((d) => d !== undefined);
  if (digest === undefined) throw failedPush(ref, "the engine reported no digest");
  return { digest, reference: `${target.repository}@${digest}` };
}
