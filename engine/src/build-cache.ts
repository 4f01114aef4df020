/**
 * The builder's cache (BuildKit keeps its layers apart from images: removing old images does
 * not free them). Pruned down to a budget, least recently used first; records an active build
 * uses are kept by the engine. Never touches images, containers or volumes.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";

const PRUNE_TIMEOUT_MS = 120_000;

export async function pruneBuildCache(api: EngineApi, keepBytes: number): Promise<{ reclaimedBytes: number }> {
  const operation = "prune build cache";
  if (!Number.isSafeInteger(keepBytes) || keepBytes < 0) {
    throw new EngineError({
      code: "INVALID",
      operation,
      resource: "build cache",
      message: `${operation}: the budget must be a whole number of bytes >= 0`,
    });
  }
  const answer = await api.call(
    operation,
    "build cache",
    (abortSignal) =>
      api.dial<{ SpaceReclaimed?: number }>({
        path: "/build/prune?",
        method: "POST",
        options: { "keep-storage": keepBytes },
        abortSignal,
        statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
      }),
    PRUNE_TIMEOUT_MS,
  );
  return { reclaimedBytes: answer.SpaceReclaimed ?? 0 };
}
