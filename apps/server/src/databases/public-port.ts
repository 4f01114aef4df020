/**
 * Publish a database's TCP port on the host, or stop publishing it (opt-in; off by default).
 * Every check runs before anything is saved: Berth's own ports, a port another Berth service of
 * any team publishes (checked in Postgres), and a port another program holds (a brief bind
 * with node:net). The setting is stored as the service's `runtime.publish` and applied by a
 * redeploy: the database is stop-first (it has a volume), so the volume is kept and a failed
 * start puts the previous container back.
 */
import { createServer } from "node:net";
import type { Prisma } from "@berth/db";
import { canonicalJson } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DomainError, invalidField } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { berthPortReason, portInUseMessage, type PublicPortInput } from "./public-port-input.ts";

/** True when nothing on the host holds `address:port` (bound for a moment, then closed). */
export function hostPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: address, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Another Berth service (any team) already publishing `port`: its existence only, never its name. */
async function publishedElsewhere(db: Prisma.TransactionClient, serviceId: string, port: number): Promise<boolean> {
  const other = await db.service.findFirst({ where: { id: { not: serviceId }, runtime: { path: ["publish", "hostPort"], equals: port } }, select: { id: true } });
  return other !== null;
}

export async function setDatabasePublicPort(deps: Pick<Deps, "db" | "env" | "wakeWorker" | "events">, actor: Actor, input: PublicPortInput) {
  const { service } = await loadService(deps.db, actor, input.serviceId, "admin");
  if (!service.databaseEngine || service.kind !== "tcp") throw new DomainError("INVALID", "Only a database Berth created publishes a port here");
  const runtime = readStoredRuntime(service.runtime);
  const publish = input.enabled && input.hostPort !== undefined ? { hostPort: input.hostPort, bindAddress: input.bindAddress } : null;
  if (publish) {
    const reserved = berthPortReason(deps.env, publish.hostPort);
    if (reserved) throw invalidField("hostPort", reserved);
    if (service.replicas > 1) throw invalidField("hostPort", "A published port can be bound by one container only: set the database to 1 replica first");
    if (service.strategy === "start_first") throw invalidField("hostPort", "A published port cannot be bound by the old and the new container at once: switch the database's deploy strategy to stop-first");
    if (await publishedElsewhere(deps.db, service.id, publish.hostPort)) throw invalidField("hostPort", portInUseMessage(publish.hostPort));
    // The service's own container holds its current port: only a new port is tried on the host.
    const own = runtime.publish?.hostPort === publish.hostPort;
    if (!own && !(await hostPortFree(publish.bindAddress, publish.hostPort))) throw invalidField("hostPort", portInUseMessage(publish.hostPort));
  }
  if (canonicalJson(runtime.publish) === canonicalJson(publish)) return { publish, deploymentId: null };
  const stored = service.runtime && typeof service.runtime === "object" && !Array.isArray(service.runtime) ? service.runtime : {};
  await deps.db.$transaction(async (tx) => {
    // One claim at a time on this instance: two services asking the same port cannot both pass.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('berth.published-ports'))`;
    if (publish && (await publishedElsewhere(tx, service.id, publish.hostPort))) throw invalidField("hostPort", portInUseMessage(publish.hostPort));
    await tx.service.update({ where: { id: service.id }, data: { runtime: { ...stored, publish } as unknown as Prisma.InputJsonValue } });
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "database.public_port",
    targetType: "service",
    targetId: service.id,
    detail: publish ? { name: service.name, enabled: true, hostPort: publish.hostPort, bindAddress: publish.bindAddress } : { name: service.name, enabled: false },
  });
  const { deploymentId } = await enqueueDeployment(deps, actor, service.id);
  return { publish, deploymentId };
}
