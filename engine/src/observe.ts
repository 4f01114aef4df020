/**
 * Observability over the Engine API: a container's status (state, health, restart count),
 * a stats stream and the engine's event stream, both typed. Only Berth's containers.
 */
import { Readable } from "node:stream";
import { inspectContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import { isManagedByBerth, managedFilters } from "./labels.ts";
import { LineSplitter } from "./log-lines.ts";
import { destroyReadable, managedAnswer } from "./managed-access.ts";
import { toContainerState } from "./managed.ts";
import { parseEngineEvent, toStatsSample, type RawEvent, type RawStats } from "./observe-parse.ts";
import type { ContainerStatus, EngineEvent, StatsSample } from "./observe-types.ts";

type Stop = () => void;

export async function containerStatus(api: EngineApi, ref: string): Promise<ContainerStatus> {
  const info = await inspectContainer(api, ref);
  if (info === null || !isManagedByBerth(info.Config?.Labels)) {
    throw new EngineError({
      code: "NOT_FOUND",
      operation: "container status",
      resource: ref,
      message: `container status ${ref}: ${info === null ? "no such container" : "not managed by Berth"}`,
    });
  }
  const state = info.State as typeof info.State & { Health?: { Status?: string } };
  const health = state.Health?.Status;
  const zeroTime = (t: string | undefined) => (t === undefined || t.startsWith("0001-") ? null : t);
  return {
    containerId: info.Id,
    state: toContainerState(state.Status),
    health: health === "starting" || health === "healthy" || health === "unhealthy" ? health : null,
    restartCount: info.RestartCount ?? 0,
    exitCode: state.Running ? null : state.ExitCode,
    oomKilled: state.OOMKilled,
    memoryLimitBytes: info.HostConfig?.Memory ? info.HostConfig.Memory : null,
    startedAt: zeroTime(state.StartedAt),
    finishedAt: zeroTime(state.FinishedAt),
  };
}

/** Read a stream of JSON objects, one per line, until it ends or stop() is called. */
function followJsonLines<T>(source: NodeJS.ReadableStream, onObject: (value: T) => void, onEnd?: (err?: Error) => void): Stop {
  let stopped = false;
  let ended = false;
  const end = (err?: Error): void => {
    if (ended) return;
    ended = true;
    onEnd?.(err);
  };
  const splitter = new LineSplitter((line) => {
    if (stopped || line.trim() === "") return;
    try {
      onObject(JSON.parse(line) as T);
    } catch (err) {
      end(new Error(`unreadable engine stream line: ${(err as Error).message}`));
      stop();
    }
  });
  source.on("data", (chunk: Buffer) => splitter.push(chunk));
  source.on("end", () => end());
  source.on("close", () => end());
  source.on("error", (err: Error) => end(stopped ? undefined : err));
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (source instanceof Readable) source.destroy();
    end();
  };
  return stop;
}

/** Follow a managed container's stats (about one sample a second). Returns a function that stops. */
export async function followStats(
  api: EngineApi,
  ref: string,
  onSample: (s: StatsSample) => void,
  onEnd?: (err?: Error) => void,
): Promise<Stop> {
  const source = await managedAnswer(
    api,
    ref,
    "follow stats",
    (abortSignal) =>
      api.dial<NodeJS.ReadableStream>({
        path: `/containers/${encodeURIComponent(ref)}/stats?`,
        method: "GET",
        options: { stream: true },
        isStream: true,
        abortSignal,
        statusCodes: { 200: true, 404: "no such container", 500: "server error" },
      }),
    destroyReadable,
  );
  let prev: RawStats | null = null;
  return followJsonLines<RawStats>(
    source,
    (raw) => {
      onSample(toStatsSample(prev, raw));
      prev = raw;
    },
    onEnd,
  );
}

/** Follow the engine's events for Berth's containers (optionally of one service). */
export async function followEvents(
  api: EngineApi,
  filter: { serviceId?: string },
  onEvent: (e: EngineEvent) => void,
  onEnd?: (err?: Error) => void,
): Promise<Stop> {
  const label = managedFilters(filter.serviceId).label;
  const filters = JSON.stringify({ type: ["container"], label });
  const source = await api.call("follow events", filter.serviceId ?? "berth", (abortSignal) =>
    api.dial<NodeJS.ReadableStream>({
      path: "/events?",
      method: "GET",
      options: { filters },
      isStream: true,
      abortSignal,
      statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
    }),
  );
  return followJsonLines<RawEvent>(
    source,
    (raw) => {
      const event = parseEngineEvent(raw);
      if (event !== null && (filter.serviceId === undefined || event.owner.serviceId === filter.serviceId)) onEvent(event);
    },
    onEnd,
  );
}
