/**
 * A service's event list: what happened to it outside its deployments (today: what the
 * reconciler did and why), newest first on the service page.
 */
import type { Prisma } from "@berth/db";
import type { Deps } from "../deps.ts";
import { type Actor, loadService } from "../teams/access.ts";

export type ServiceEventKind =
  "reconcile.start" | "reconcile.recreate" | "reconcile.remove" | "reconcile.network" | "reconcile.backoff" | "reconcile.failed";

export interface ServiceEventEntry {
  serviceId: string;
  kind: ServiceEventKind;
  message: string;
  detail?: Record<string, string | number | boolean | null>;
}

export async function recordServiceEvent(db: Deps["db"], entry: ServiceEventEntry): Promise<void> {
  await db.serviceEvent.create({
    data: { serviceId: entry.serviceId, kind: entry.kind, message: entry.message, detail: (entry.detail ?? {}) as Prisma.InputJsonValue },
  });
}

const LIMIT = 50;

export async function listServiceEvents(deps: Pick<Deps, "db">, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  return deps.db.serviceEvent.findMany({
    where: { serviceId },
    orderBy: { createdAt: "desc" },
    take: LIMIT,
    select: { id: true, kind: true, message: true, actor: true, detail: true, createdAt: true },
  });
}
