/**
 * Edit everything after creation: source, name, kind, port and every runtime setting, without
 * losing the service's domains, variables, hooks or history. Saving changes no container:
 * the next deployment snapshots the new settings (the page lists them as pending until then).
 */
import type { Deps } from "../deps.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { invalidField } from "../errors.ts";
import { getSettings } from "../instance/settings.ts";
import { recordAudit } from "../audit/audit.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { checkHostPaths, syncServiceVolumes } from "../volumes/service-volumes.ts";
import { gitSourceData } from "./git-source.ts";
import type { UpdateServiceInput } from "./service-input.ts";
import { runtimeColumns } from "./service-settings.ts";
import { checkHostPortClaim, claimInTransaction } from "./host-port-claim.ts";
import { readStoredRuntime } from "./runtime-settings.ts";
import { assertImageUsable } from "./image-ownership.ts";
import { assertAddressesFree } from "./service-addresses.ts";
import { checkMemlock } from "./memlock-check.ts";
import { canonicalJson } from "@berth/engine";
import { clusterSettingsProblem } from "../cluster/service-placement.ts";

export async function updateService(deps: Pick<Deps, "db" | "env" | "queue" | "events" | "box">, actor: Actor, input: UpdateServiceInput) {
  const { service } = await loadService(deps.db, actor, input.serviceId, "member");
  const git = input.source === "git" && input.git ? await gitSourceData(deps, input.git, input.name, service) : {};
  const settings = await getSettings(deps.db);
  await checkHostPaths(input.volumes, settings.allowBindMounts);
  checkMemlock(input, settings);
  const onCluster = service.placement === "cluster" ? clusterSettingsProblem(input) : null;
  if (onCluster) throw invalidField(onCluster.field, onCluster.message);
  await assertAddressesFree(deps.db, { projectId: service.projectId, serviceId: service.id }, input);
  if (input.source === "image") await assertImageUsable(deps.db, { serviceId: service.id, teamId: service.project.teamId }, input.image);
  const livePublish = readStoredRuntime(service.runtime).publish;
  const newPort = input.publish !== null && canonicalJson(livePublish) !== canonicalJson(input.publish) ? input.publish : null;
  if (newPort) await checkHostPortClaim(deps, service.id, livePublish, newPort, "publish.hostPort");
  const columns = {
    name: input.name,
    sourceType: input.source,
    ...(input.source === "image" ? { image: input.image } : {}),
    ...runtimeColumns({ ...input, labels: input.labels ?? readStoredRuntime(service.runtime).labels }),
    ...git,
    ...(input.timeouts ?? {}),
  };
  try {
    await deps.db.$transaction(async (tx) => {
      if (newPort) await claimInTransaction(tx, service.id, newPort, "publish.hostPort");
      await tx.service.update({ where: { id: service.id }, data: columns });
      await syncServiceVolumes(tx, { projectId: service.projectId, serviceId: service.id }, input.volumes);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A service named "${input.name}" already exists in this project`);
    throw err;
  }
  if (input.kind === "web") await ensureDefaultDomain(deps.db, service.id);
  const before = service as unknown as Record<string, unknown>;
  const changed = Object.entries(columns)
    .filter(
      ([key, value]) =>
        !["gitToken", "deployKeyPrivate"].includes(key) && canonicalJson(before[key] ?? null) !== canonicalJson(value ?? null),
    )
    .map(([key]) => key);
  if (input.source === "git" && input.git?.token?.trim()) changed.push("gitToken");
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.update",
    targetType: "service",
    targetId: service.id,
    detail: { name: input.name, fields: changed },
  });
  const deployment = input.deploy ? await enqueueDeployment(deps, actor, service.id) : null;
  return { ok: true as const, changed, deploymentId: deployment?.deploymentId ?? null };
}
