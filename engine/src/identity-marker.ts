/**
 * Whether two connections reach one engine: a marker volume made through one is looked for
 * through the other. Volumes are the engine's own (local driver, under its data root), cost no
 * image and nothing runs; the marker carries Berth's label and lives only while it is asked.
 */
import { randomUUID } from "node:crypto";
import type { EngineApi } from "./engine-api.ts";
import { LABEL_MANAGED_BY, MANAGED_BY_VALUE } from "./labels.ts";
import { inspectVolume } from "./volumes.ts";

const MARKER_PREFIX = "berth-identity-";

export async function withIdentityMarker<T>(api: EngineApi, fn: (marker: string) => Promise<T>): Promise<T> {
  const marker = `${MARKER_PREFIX}${randomUUID()}`;
  await api.call("create identity marker", marker, (abortSignal) =>
    api.docker.createVolume({ Name: marker, Labels: { [LABEL_MANAGED_BY]: MANAGED_BY_VALUE }, abortSignal }),
  );
  try {
    return await fn(marker);
  } finally {
    // An empty, labelled volume left behind is harmless: the answer is not lost for it.
    await api
      .call("remove identity marker", marker, (abortSignal) => api.docker.getVolume(marker).remove({ abortSignal }))
      .catch(() => undefined);
  }
}

export async function hasIdentityMarker(api: EngineApi, marker: string): Promise<boolean> {
  if (!marker.startsWith(MARKER_PREFIX)) return false;
  return (await inspectVolume(api, marker)) !== null;
}
