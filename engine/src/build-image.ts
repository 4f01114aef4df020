/**
 * Build an image from an in-memory context (Dockerfile + files) with BuildKit through the
 * Engine API (secret mounts; the session serves the secrets from memory), or the legacy
 * builder when BuildKit is unavailable. The engine answers 200 even when a Dockerfile step
 * fails, so the progress stream is read and its errors turned into EngineError BUILD_FAILED
 * with the build output in details.logs. Secret values are masked in every line handed out.
 */
import { BuildkitStatusDecoder } from "./buildkit/status.ts";
import { requestBuild } from "./buildkit/build-request.ts";
import { openBuildSession, type BuildSession } from "./buildkit/session.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, toEngineError } from "./errors.ts";
import { readProgress } from "./progress.ts";
import { packTar, type TarEntry } from "./tar.ts";
import { assertValidImageRef } from "./validate.ts";
import { buildSecretMask, assertValidSecrets } from "./build-secrets.ts";
import { formatGb, watchDiskBudget, type DiskBudgetWatch } from "./build-disk-budget.ts";

export const DEFAULT_BUILD_TIMEOUT_MS = 10 * 60_000;

export type BuilderKind = "buildkit" | "legacy";

export interface BuildImageOptions {
  /** Tag to give the image, e.g. "berth-test/engine-hello:latest". */
  tag: string;
  /** The context: must include a `Dockerfile` entry unless `dockerfile` names another. */
  files?: TarEntry[];
  /** A prebuilt tar context (e.g. a cloned repository, streamed); used instead of `files`. */
  tar?: Buffer | NodeJS.ReadableStream;
  /** --build-arg values (these DO end up in the image history: never put secrets here). */
  buildArgs?: Record<string, string>;
  /**
   * Build secrets by id, for `RUN --mount=type=secret,id=<id>` (BuildKit only). Served from
   * memory over the build session; never in layers, history, arguments or logs.
   */
  secrets?: Record<string, string>;
  /** "auto" (default): BuildKit, else the legacy builder when BuildKit is unavailable. */
  builder?: "auto" | BuilderKind;
  /** Every output line as it arrives (isError for the engine's failure line). */
  onLine?: (line: string, isError: boolean) => void;
  /** Aborting it stops the build (the engine cancels a build whose client went away). */
  signal?: AbortSignal;
  dockerfile?: string;
  labels?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Bytes the build's RUN steps may write (BuildKit, engine on this host: build-disk.ts). Past
   * it the build is cancelled with BUILD_FAILED "the build used more than its disk budget of
   * N GB", and the cache records it made are pruned.
   */
  diskBudgetBytes?: number;
  /** How often the disk use is measured (default 2 s). */
  diskCheckMs?: number;
}

export interface BuildImageResult {
  /** Build output (last lines). */
  logs: string[];
  /** Which builder ran. */
  builder: BuilderKind;
}

/** A BuildKit session, or why there is none (the legacy builder then runs). */
async function chooseBuilder(api: EngineApi, options: BuildImageOptions): Promise<BuildSession | string> {
  if (options.builder === "legacy") return "the legacy builder was requested";
  try {
    return await openBuildSession(api, options.secrets ?? {});
  } catch (err) {
    if (options.builder === "buildkit") throw toEngineError(err, "open build session", options.tag);
    return engineMessage(err);
  }
}

export async function buildImage(api: EngineApi, options: BuildImageOptions): Promise<BuildImageResult> {
  const operation = "build image";
  assertValidImageRef(options.tag, operation);
  assertValidSecrets(options.secrets ?? {}, operation);
  const timeoutMs = options.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  const mask = buildSecretMask(options.secrets ?? {});
  const onLine = options.onLine;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const cancelled = (): void => controller.abort();
  options.signal?.addEventListener("abort", cancelled, { once: true });
  let session: BuildSession | string = "not opened";
  let budget: DiskBudgetWatch | null = null;
  const overBudget = (): EngineError | null => {
    if (!budget?.exceeded) return null;
    const { bytes } = budget.exceeded;
    const message = `${operation} ${options.tag}: the build used more than its disk budget of ${formatGb(options.diskBudgetBytes ?? 0)} (${formatGb(bytes)} written by its RUN steps when it was stopped)`;
    return new EngineError({
      code: "BUILD_FAILED",
      operation,
      resource: options.tag,
      message,
      details: { diskBytes: bytes, diskAfterMs: budget.exceeded.afterMs },
    });
  };
  try {
    session = await chooseBuilder(api, options);
    const builder: BuilderKind = typeof session === "string" ? "legacy" : "buildkit";
    if (builder === "buildkit" && options.diskBudgetBytes !== undefined) {
      budget = watchDiskBudget(api, {
        budgetBytes: options.diskBudgetBytes,
        ...(options.diskCheckMs === undefined ? {} : { everyMs: options.diskCheckMs }),
        onExceeded: () => controller.abort(),
        onNotice: (line) => onLine?.(line, false),
      });
    }
    const secretCount = Object.keys(options.secrets ?? {}).length;
    if (typeof session === "string") {
      onLine?.(
        `Builder: legacy (BuildKit unavailable: ${mask(session)})${secretCount > 0 ? `; ${secretCount} build secret(s) NOT available to RUN --mount` : ""}`,
        false,
      );
    } else {
      onLine?.(`Builder: BuildKit${secretCount > 0 ? ` with ${secretCount} build secret(s)` : ""}`, false);
    }
    const stream = await requestBuild(api, {
      tag: options.tag,
      tar: options.tar ?? packTar(options.files ?? []),
      dockerfile: options.dockerfile ?? "Dockerfile",
      buildArgs: options.buildArgs ?? {},
      labels: options.labels ?? {},
      signal: controller.signal,
      ...(typeof session === "string" ? {} : { session: session.id }),
    });
    const watch = budget;
    const seeLine =
      watch === null
        ? onLine
        : (line: string, isError: boolean) => {
            watch.see(line);
            onLine?.(line, isError);
          };
    const result = await readProgress(stream, {
      maxLines: 200,
      mask,
      ...(seeLine === undefined ? {} : { onLine: seeLine }),
      ...(builder === "buildkit" ? { buildkit: new BuildkitStatusDecoder() } : {}),
    });
    const budgetError = overBudget();
    if (budgetError) throw budgetError;
    if (result.error !== null) {
      const sessionError = typeof session === "string" ? null : session.error();
      const reason = sessionError === null ? result.error : `${result.error} (build session: ${mask(sessionError.message)})`;
      throw new EngineError({
        code: "BUILD_FAILED",
        operation,
        resource: options.tag,
        message: `${operation} ${options.tag}: ${reason}`,
        details: { logs: result.lines },
      });
    }
    return { logs: result.lines, builder };
  } catch (err) {
    const budgetError = overBudget();
    if (budgetError) {
      // What the cancelled build left in the cache goes too (best effort: the failure is the news).
      await budget?.cleanUp().catch((e: unknown) => onLine?.(`Could not prune the build's cache records: ${engineMessage(e)}`, false));
      throw budgetError;
    }
    if (err instanceof EngineError) throw err;
    if (options.signal?.aborted) {
      throw new EngineError({
        code: "CANCELLED",
        operation,
        resource: options.tag,
        message: `${operation} ${options.tag}: cancelled`,
        cause: err,
      });
    }
    if (controller.signal.aborted) {
      const message = `${operation} ${options.tag}: did not finish within ${timeoutMs / 1000} s (${mask(engineMessage(err))})`;
      throw new EngineError({ code: "TIMEOUT", operation, resource: options.tag, message, cause: err });
    }
    throw toEngineError(err, operation, options.tag);
  } finally {
    budget?.stop();
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancelled);
    if (typeof session !== "string") session.close();
  }
}
