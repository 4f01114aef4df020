/**
 * Access to one container only if Berth manages it: a foreign or absent container is NOT_FOUND
 * (invisible), for every call that names a container the caller chose.
 */
import { Readable } from "node:stream";
import { inspectContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import { isManagedByBerth } from "./labels.ts";

/** Resolve a container and prove Berth owns it; NOT_FOUND otherwise (foreign containers are invisible). */
export async function requireManagedContainer(api: EngineApi, ref: string, operation: string): Promise<string> {
  const info = await inspectContainer(api, ref);
  if (info === null || !isManagedByBerth(info.Config?.Labels)) {
    const why = info === null ? "no such container" : "not managed by Berth";
    throw new EngineError({ code: "NOT_FOUND", operation, resource: ref, message: `${operation} ${ref}: ${why}` });
  }
  return info.Id;
}

/**
 * Open a streamed answer (logs, stats) about a container that Berth must manage: the proof (an
 * inspect) and the request go out together, one engine round trip less before the first byte.
 * Nothing of the answer is read before the proof holds (it waits, paused); when the proof fails,
 * the answer is closed unread (`discard`) and the proof's error (NOT_FOUND for a foreign or
 * absent container) is thrown.
 */
export async function managedAnswer<T>(
  api: EngineApi,
  ref: string,
  operation: string,
  request: (abortSignal: AbortSignal) => Promise<T>,
  discard: (answer: T) => void,
): Promise<T> {
  const [proof, answer] = await Promise.allSettled([requireManagedContainer(api, ref, operation), api.call(operation, ref, request)]);
  if (proof.status === "rejected") {
    if (answer.status === "fulfilled") discard(answer.value);
    throw proof.reason;
  }
  if (answer.status === "rejected") throw answer.reason;
  return answer.value;
}

/** Discard a streamed answer docker-modem handed back. */
export function destroyReadable(answer: NodeJS.ReadableStream): void {
  if (answer instanceof Readable) answer.destroy();
}
