/**
 * Run a one-off container to completion: prepare (image present, network and volumes made),
 * create, follow its output from the first byte, start, wait; kill on cancel or timeout;
 * always remove it. Its labels keep it out of every release listing (labels.ts LABEL_ONE_OFF).
 */
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import { assertSafeBindMounts } from "./bind-sources.ts";
import { releaseNetworkName } from "./container-spec.ts";
import { createContainer, inspectContainer, removeContainerForce, startContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, isEngineError } from "./errors.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage } from "./images.ts";
import { isManagedByBerth, isOneOff, LABEL_ONE_OFF, managedFilters } from "./labels.ts";
import { FrameDemuxer } from "./log-lines.ts";
import { ensureNetwork } from "./networks.ts";
import { buildOneOffContainerSpec } from "./one-off-spec.ts";
import type { OneOffResult, OneOffSpec, RunOneOffOptions } from "./one-off-types.ts";
import { assertValidReleaseSpec } from "./validate.ts";
import { ensureVolumes } from "./volumes.ts";

const OPERATION = "run one-off";
const POLL_MS = 250;

async function prepare(api: EngineApi, spec: OneOffSpec, options: RunOneOffOptions): Promise<void> {
  assertValidReleaseSpec(spec.release, OPERATION);
  await assertSafeBindMounts(api, spec.release, OPERATION);
  await ensureImage(api, spec.release.image, { timeoutMs: options.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS, pull: "missing" });
  const network = releaseNetworkName(spec.release);
  if (network !== null && spec.release.network !== undefined)
    await ensureNetwork(api, { name: network, scope: spec.release.network.scope, owner: spec.release.owner });
  await ensureVolumes(api, spec.release);
}

/** Follow the container's whole output (from its first byte), decoded per stream. Resolves when the stream ends. */
async function followOutput(
  api: EngineApi,
  id: string,
  onOutput: RunOneOffOptions["onOutput"],
): Promise<{ ended: Promise<void>; stop: () => void }> {
  const source = await api.call("follow one-off output", id, (abortSignal) =>
    api.docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true, abortSignal }),
  );
  const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  const demuxer = new FrameDemuxer((stream, payload) => {
    const text = decoders[stream].write(payload);
    if (text !== "") onOutput({ stream, text });
  });
  source.on("data", (chunk: Buffer) => demuxer.push(chunk));
  const ended = new Promise<void>((resolve) => {
    const done = (): void => {
      for (const stream of ["stdout", "stderr"] as const) {
        const text = decoders[stream].end();
        if (text !== "") onOutput({ stream, text });
      }
      resolve();
    };
    source.once("end", done);
    source.once("close", done);
    source.once("error", done);
  });
  return { ended, stop: () => (source instanceof Readable ? void source.destroy() : undefined) };
}

async function exitCodeOf(api: EngineApi, id: string): Promise<number | null> {
  for (;;) {
    const info = await inspectContainer(api, id);
    if (info === null) return null;
    if (info.State?.Running !== true && info.State?.Status !== "created") return info.State?.ExitCode ?? null;
    await sleep(POLL_MS);
  }
}

async function kill(api: EngineApi, id: string): Promise<void> {
  try {
    await api.call("kill one-off", id, (abortSignal) => api.docker.getContainer(id).kill({ abortSignal }));
  } catch (err) {
    // Already stopped (409) or gone (404): nothing left to kill.
    if (!isEngineError(err, "NOT_FOUND") && !isEngineError(err, "CONFLICT")) throw err;
  }
}

export async function runOneOff(api: EngineApi, spec: OneOffSpec, options: RunOneOffOptions): Promise<OneOffResult> {
  const create = buildOneOffContainerSpec(spec);
  const containerName = create.name as string;
  await prepare(api, spec, options);
  const existing = await inspectContainer(api, containerName);
  if (existing !== null) {
    if (existing.Config?.Labels?.[LABEL_ONE_OFF] !== spec.runId) {
      throw new EngineError({
        code: "CONFLICT",
        operation: OPERATION,
        resource: containerName,
        message: `${OPERATION} ${containerName}: a container with this name exists and is not this run's; it was left untouched`,
      });
    }
    await removeContainerForce(api, existing.Id);
  }
  if (options.signal?.aborted) return { outcome: "cancelled", exitCode: null, containerName };
  const container = await createContainer(api, create);
  options.onCreated?.(containerName);
  let stopOutput = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  try {
    let outcome: OneOffResult["outcome"] = "exited";
    const stopWith = (why: OneOffResult["outcome"]): void => {
      if (outcome !== "exited") return;
      outcome = why;
      void kill(api, container.id).catch(() => undefined);
    };
    timer = setTimeout(() => stopWith("timed_out"), options.timeoutMs);
    onAbort = () => stopWith("cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) return { outcome: "cancelled", exitCode: null, containerName };
    await startContainer(api, container.id);
    // Followed from the container's first line (the engine keeps it all), even if it already ended.
    const output = await followOutput(api, container.id, options.onOutput);
    stopOutput = output.stop;
    const exitCode = await exitCodeOf(api, container.id);
    // The rest of the output arrives with the stream's end (bounded: a stuck stream is dropped).
    await Promise.race([output.ended, sleep(2000)]);
    return { outcome, exitCode, containerName };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    stopOutput();
    await removeContainerForce(api, container.id);
  }
}

/** One-off containers left by a process that died mid-run (their run ids), optionally of one service. */
export async function listOneOffs(
  api: EngineApi,
  serviceId?: string,
): Promise<Array<{ containerId: string; runId: string; serviceId: string }>> {
  const filters = managedFilters(serviceId);
  filters.label.push(LABEL_ONE_OFF);
  const all = await api.call("list one-offs", serviceId ?? "berth", (abortSignal) =>
    api.docker.listContainers({ all: true, filters, abortSignal }),
  );
  return all
    .filter((c) => isManagedByBerth(c.Labels) && isOneOff(c.Labels))
    .map((c) => ({ containerId: c.Id, runId: c.Labels[LABEL_ONE_OFF] ?? "", serviceId: c.Labels["io.berth.service"] ?? "" }));
}

/** Remove a one-off container (only one: a release container is refused). */
export async function removeOneOff(api: EngineApi, containerId: string): Promise<void> {
  const info = await inspectContainer(api, containerId);
  if (info === null) return;
  if (!isManagedByBerth(info.Config?.Labels) || !isOneOff(info.Config?.Labels)) {
    throw new EngineError({
      code: "CONFLICT",
      operation: "remove one-off",
      resource: containerId,
      message: `remove one-off ${containerId}: not a one-off run container; left untouched`,
    });
  }
  await removeContainerForce(api, info.Id);
}
