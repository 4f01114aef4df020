/**
 * A compose service's `restart`, `deploy` (replicas, resource limits), `cpus`, `mem_limit`,
 * `pids_limit` and `shm_size` -> its restart policy, replicas and limits. PURE.
 */
import { sizeMiB } from "./compose-values.ts";
import type { ComposeService } from "./parse-compose.ts";
import type { ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

export function mapResources(svc: ComposeService, err: Report, warn: Report): Pick<ServiceFields, "restartPolicy" | "replicas" | "limits"> {
  let restartPolicy: ServiceFields["restartPolicy"] = "unless-stopped";
  if (typeof svc.restart === "string") {
    const [policy, max] = svc.restart.split(":");
    if (policy === "no" || policy === "always" || policy === "on-failure" || policy === "unless-stopped") restartPolicy = policy;
    else err("restart", "One of: no, always, on-failure, unless-stopped");
    if (max !== undefined) warn("restart", `The retry limit ${max} is not applied`);
  }

  // deploy
  let replicas = 1;
  const limits: ServiceFields["limits"] = { cpus: null, memoryMb: null, pidsLimit: null, shmMb: null };
  const deploy = (svc.deploy ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(deploy)) {
    if (key === "replicas") replicas = Number(deploy.replicas);
    else if (key === "resources") {
      const res = deploy.resources as { limits?: { cpus?: unknown; memory?: string; pids?: unknown }; reservations?: unknown };
      if (res.reservations !== undefined) warn("deploy.resources.reservations", "Reservations are not applied (limits are)");
      if (res.limits?.cpus !== undefined) limits.cpus = Number(res.limits.cpus);
      if (res.limits?.memory !== undefined) limits.memoryMb = memory(res.limits.memory, "deploy.resources.limits.memory");
      if (res.limits?.pids !== undefined) limits.pidsLimit = Number(res.limits.pids);
    } else if (!key.startsWith("x-"))
      warn(`deploy.${key}`, "Ignored: Berth runs the stack on this host (no swarm placement, update or restart settings)");
  }
  if (svc.cpus !== undefined && limits.cpus === null) limits.cpus = Number(svc.cpus);
  if (svc.mem_limit !== undefined && limits.memoryMb === null) limits.memoryMb = memory(svc.mem_limit as string | number, "mem_limit");
  if (svc.pids_limit !== undefined && limits.pidsLimit === null)
    limits.pidsLimit = Number(svc.pids_limit) === -1 ? null : Number(svc.pids_limit);
  if (svc.shm_size !== undefined) limits.shmMb = memory(svc.shm_size as string | number, "shm_size");
  function memory(value: string | number, key: string): number | null {
    const mib = sizeMiB(value);
    if (mib === null) err(key, `"${value}" is not a size (e.g. 512m, 1g)`);
    return mib;
  }
  return { restartPolicy, replicas, limits };
}
