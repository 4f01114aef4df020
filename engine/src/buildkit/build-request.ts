/**
 * The two ways to ask the engine for a build, both returning its JSON progress stream:
 * BuildKit (`/build?version=2&session=<id>`: secret mounts, `CACHED` steps reported) and the
 * legacy builder (no secret mounts). The tar body is the build context.
 */
import type { EngineApi } from "../engine-api.ts";

export interface BuildRequest {
  tag: string;
  /** A buffer, or a stream (sent chunked: the context is never held whole). */
  tar: Buffer | NodeJS.ReadableStream;
  dockerfile: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  signal: AbortSignal;
  /** A BuildKit session id (BuildKit builds only). */
  session?: string;
}

/** The /build query for a request. PURE. */
export function buildQuery(request: BuildRequest): Record<string, string | boolean> {
  return {
    t: request.tag,
    dockerfile: request.dockerfile,
    rm: true,
    forcerm: true,
    // docker-modem sends objects JSON-encoded, as the Engine API expects.
    labels: JSON.stringify(request.labels),
    buildargs: JSON.stringify(request.buildArgs),
    ...(request.session === undefined ? {} : { version: "2", session: request.session }),
  };
}

export function requestBuild(api: EngineApi, request: BuildRequest): Promise<NodeJS.ReadableStream> {
  return api.dial<NodeJS.ReadableStream>({
    path: "/build?",
    method: "POST",
    file: request.tar,
    options: buildQuery(request),
    abortSignal: request.signal,
    isStream: true,
    statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
  } as Parameters<EngineApi["dial"]>[0]);
}
