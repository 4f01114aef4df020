/**
 * Build an image from an in-memory context (Dockerfile + files). The engine answers 200
 * even when a Dockerfile step fails, so the progress stream is read and its errors turned
 * into EngineError BUILD_FAILED with the build output in details.logs.
 */
import { Readable } from "node:stream";
import type Docker from "dockerode";
import { EngineError, engineMessage, toEngineError } from "./errors.ts";
import { readProgress } from "./progress.ts";
import { packTar, type TarEntry } from "./tar.ts";
import { assertValidImageRef } from "./validate.ts";

export const DEFAULT_BUILD_TIMEOUT_MS = 10 * 60_000;

export interface BuildImageOptions {
  /** Tag to give the image, e.g. "berth-test/engine-hello:latest". */
  tag: string;
  /** The context: must include a `Dockerfile` entry unless `dockerfile` names another. */
  files?: TarEntry[];
  /** A prebuilt tar context (e.g. a cloned repository); used instead of `files`. */
  tar?: Buffer;
  /** --build-arg values. */
  buildArgs?: Record<string, string>;
  /** Every output line as it arrives (isError for the engine's failure line). */
  onLine?: (line: string, isError: boolean) => void;
  /** Aborting it stops the build (the engine cancels a build whose client went away). */
  signal?: AbortSignal;
  dockerfile?: string;
  labels?: Record<string, string>;
  timeoutMs?: number;
}

export interface BuildImageResult {
  /** Build output (last lines). */
  logs: string[];
}

export async function buildImage(docker: Docker, options: BuildImageOptions): Promise<BuildImageResult> {
  const operation = "build image";
  assertValidImageRef(options.tag, operation);
  const timeoutMs = options.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  const context = Readable.from([options.tar ?? packTar(options.files ?? [])]);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const cancelled = (): void => controller.abort();
  options.signal?.addEventListener("abort", cancelled, { once: true });
  try {
    const stream = await docker.buildImage(context, {
      t: options.tag,
      dockerfile: options.dockerfile ?? "Dockerfile",
      rm: true,
      forcerm: true,
      labels: options.labels ?? {},
      buildargs: options.buildArgs ?? {},
      abortSignal: controller.signal,
    });
    const result = await readProgress(stream, 200, options.onLine);
    if (result.error !== null) {
      throw new EngineError({
        code: "BUILD_FAILED",
        operation,
        resource: options.tag,
        message: `${operation} ${options.tag}: ${result.error}`,
        details: { logs: result.lines },
      });
    }
    return { logs: result.lines };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    if (options.signal?.aborted) {
      throw new EngineError({ code: "CANCELLED", operation, resource: options.tag, message: `${operation} ${options.tag}: cancelled`, cause: err });
    }
    if (controller.signal.aborted) {
      throw new EngineError({
        code: "TIMEOUT",
        operation,
        resource: options.tag,
        message: `${operation} ${options.tag}: did not finish within ${timeoutMs / 1000} s (${engineMessage(err)})`,
        cause: err,
      });
    }
    throw toEngineError(err, operation, options.tag);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancelled);
  }
}
