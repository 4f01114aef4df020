/**
 * Does a running container already have the spec's limits and restart policy, can it get
 * them in place, or does it need a new container? PURE. The engine cannot lift a CPU,
 * memory or PID limit in place (0 means "unchanged" to the update API), so lifting one re-creates.
 */
import type { HostConfig } from "dockerode";
import type { buildContainerUpdate } from "./container-spec.ts";

export type LimitsDrift = "same" | "update" | "recreate";

export function limitsDrift(
  current: Pick<HostConfig, "NanoCpus" | "Memory" | "PidsLimit" | "RestartPolicy"> | undefined,
  desired: ReturnType<typeof buildContainerUpdate>,
): LimitsDrift {
  const cpus = current?.NanoCpus ?? 0;
  const memory = current?.Memory ?? 0;
  // The engine reports "no PID limit" as null, 0 or -1.
  const pids = Math.max(0, current?.PidsLimit ?? 0);
  if ((cpus > 0 && desired.NanoCpus === 0) || (memory > 0 && desired.Memory === 0) || (pids > 0 && desired.PidsLimit === 0))
    return "recreate";
  const restart: { Name?: string; MaximumRetryCount?: number } = current?.RestartPolicy ?? {};
  const sameRestart =
    (restart.Name ?? "") === (desired.RestartPolicy?.Name ?? "") &&
    (restart.MaximumRetryCount ?? 0) === (desired.RestartPolicy?.MaximumRetryCount ?? 0);
  return cpus === desired.NanoCpus && memory === desired.Memory && pids === desired.PidsLimit && sameRestart ? "same" : "update";
}
