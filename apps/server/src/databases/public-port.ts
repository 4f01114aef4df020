/**
 * Publish a database's TCP port on the host, or stop publishing it (opt-in; off by default).
 * Every check runs before anything is saved (services/host-port-claim.ts). The setting is
 * stored as the service's `runtime.publish` and applied by a redeploy: the database is
 * stop-first (it has a volume), so the volume is kept and a failed start puts the previous
 * container back.
 */
import type { Prisma } from "@berth/db";
import { canonicalJson } from "@berth/engine";
import { CLUSTER_PUBLISH } from "../cluster/service-placement.ts";
import type { Deps } from "../deps.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DomainError, invalidField } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { checkHostPortClaim, claimInTransaction } from "../services/host-port-claim.ts";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import { type Actor, loadService } from "../teams/access.ts";
import type { PublicPortInput } from "./public-port-input.ts";

export async function setDatabasePublicPort(
  deps: Pick<Deps, "db" | "env" | "queue" | "events" | "box">,
  actor: Actor,
  input: PublicPortInput,
) {
  const { service } = await loadService(deps.db, actor, input.serviceId, "admin");
  if (!service.databaseEngine || service.kind !== "tcp")
    throw new DomainError("INVALID", "Only a database Berth created publishes a port here");
  const runtime = readStoredRuntime(service.runtime);
  const publish = input.enabled && input.hostPort !== undefined ? { hostPort: input.hostPort, bindAddress: input.bindAddress } : null;
  if (publish) {
    if (service.placement === "cluster") throw invalidField("hostPort", CLUSTER_PUBLISH);
    if (service.replicas > 1)
      throw invalidField("hostPort", "A published port can be bound by one container only: set the database to 1 replica first");
    if (service.strategy === "start_first")
      throw invalidField(
        "hostPort",
        "A published port cannot be bound by the old and the new container at once: switch the database's deploy strategy to stop-first",
      );
    await checkHostPortClaim(deps, service.id, runtime.publish, publish, "hostPort");
  }
  if (canonicalJson(runtime.publish) === canonicalJson(publish)) return { publish, deploymentId: null };
  const stored = service.runtime && typeof service.runtime === "object" && !Array.isArray(service.runtime) ? service.runtime : {};
  await deps.db.$transaction(async (tx) => {
    if (publish) await claimInTransaction(tx, service.id, publish, "hostPort");
    await tx.service.update({ where: { id: service.id }, data: { runtime: { ...stored, publish } as unknown as Prisma.InputJsonValue } });
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "database.public_port",
    targetType: "service",
    targetId: service.id,
    detail: publish
      ? { name: service.name, enabled: true, hostPort: publish.hostPort, bindAddress: publish.bindAddress }
      : { name: service.name, enabled: false },
  });
  const { deploymentId } = await enqueueDeployment(deps, actor, service.id);
  return { publish, deploymentId };
}
