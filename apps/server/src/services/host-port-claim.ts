/**
 * Whether a service may publish a fixed host port, checked before anything is saved: not one of
 * Berth's own ports, not published by another Berth service of any team (Postgres), and not
 * held by another program (a brief bind with node:net). The errors name only the port, at the
 * caller's field. `claimInTransaction` repeats the Postgres check under an instance-wide advisory
 * lock as the row is written, so two services asking one port at once cannot both get it.
 */
import { createServer } from "node:net";
import type { Prisma } from "@berth/db";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { berthPortReason, portInUseMessage } from "./host-ports.ts";

export interface HostPortRequest {
  hostPort: number;
  bindAddress: string;
}

/** True when nothing on the host holds `address:port` (bound for a moment, then closed). */
export function hostPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: address, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Another Berth service (any team) already publishing `port`: its existence only, never its name. */
async function publishedElsewhere(db: Prisma.TransactionClient, serviceId: string | null, port: number): Promise<boolean> {
  const other = await db.service.findFirst({
    where: { ...(serviceId ? { id: { not: serviceId } } : {}), runtime: { path: ["publish", "hostPort"], equals: port } },
    select: { id: true },
  });
  return other !== null;
}

/**
 * `serviceId`: null for a service not created yet. `current`: the port the service publishes now
 * (its own container holds it, so it is not tried on the host).
 */
export async function checkHostPortClaim(
  deps: Pick<Deps, "db" | "env">,
  serviceId: string | null,
  current: HostPortRequest | null,
  wanted: HostPortRequest,
  field: string,
): Promise<void> {
  const reserved = berthPortReason(deps.env, wanted.hostPort);
  if (reserved) throw invalidField(field, reserved);
  if (await publishedElsewhere(deps.db, serviceId, wanted.hostPort)) throw invalidField(field, portInUseMessage(wanted.hostPort));
  if (current?.hostPort !== wanted.hostPort && !(await hostPortFree(wanted.bindAddress, wanted.hostPort)))
    throw invalidField(field, portInUseMessage(wanted.hostPort));
}

/** Inside the transaction that stores the port: serialize claims, then check Postgres again. */
export async function claimInTransaction(
  tx: Prisma.TransactionClient,
  serviceId: string | null,
  wanted: HostPortRequest,
  field: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('berth.published-ports'))`;
  if (await publishedElsewhere(tx, serviceId, wanted.hostPort)) throw invalidField(field, portInUseMessage(wanted.hostPort));
}
