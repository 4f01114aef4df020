import { randomUUID } from "node:crypto";
import type { Db, WebhookOutcome } from "@berth/db";

export interface DeliveryRecord {
  serviceId: string;
  provider: string;
  /** null for rejected deliveries: an unverified id must never block the real one. */
  deliveryId: string | null;
  event: string;
  ref?: string | null;
  commitSha?: string | null;
  /** sha256 of the verified body (null for rejected deliveries). */
  bodySha256?: string | null;
  outcome: WebhookOutcome;
  reason: string;
}

/**
 * Record a delivery once: the unique (serviceId, deliveryId) and (serviceId, bodySha256)
 * indexes decide, in one statement, which of many concurrent copies of a delivery wins -- a
 * replay under a new or missing delivery id carries the same signed body. Returns the new
 * row's id, or null when this delivery was already recorded (a redelivery or a replay).
 */
export async function claimDelivery(db: Db, d: DeliveryRecord): Promise<string | null> {
  const id = randomUUID();
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO webhook_delivery (id, "serviceId", provider, "deliveryId", event, ref, "commitSha", "bodySha256", outcome, reason)
    VALUES (${id}, ${d.serviceId}, ${d.provider}, ${d.deliveryId}, ${d.event}, ${d.ref ?? null}, ${d.commitSha ?? null}, ${d.bodySha256 ?? null}, ${d.outcome}::"WebhookOutcome", ${d.reason})
    ON CONFLICT DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
}

export function finishDelivery(db: Db, id: string, data: { outcome: WebhookOutcome; reason: string; deploymentId?: string | null }) {
  return db.webhookDelivery.update({ where: { id }, data });
}

/** The service's recent deliveries, newest first (the service page lists them with their outcome). */
export function recentDeliveries(db: Db, serviceId: string, take = 30) {
  return db.webhookDelivery.findMany({ where: { serviceId }, orderBy: { createdAt: "desc" }, take });
}

/**
 * Forget old deliveries (hourly, from the worker): rejected ones after a day, the others after
 * 90 days (a provider's manual redelivery of an older delivery would then deploy again).
 */
export async function pruneDeliveries(db: Db, now = new Date()): Promise<number> {
  const day = 86_400_000;
  const { count } = await db.webhookDelivery.deleteMany({
    where: {
      OR: [
        { outcome: "rejected", createdAt: { lt: new Date(now.getTime() - day) } },
        { createdAt: { lt: new Date(now.getTime() - 90 * day) } },
      ],
    },
  });
  return count;
}

/** About this many rejected deliveries per service and minute are recorded (a flood barely grows the table). */
export const MAX_REJECTED_PER_MINUTE = 30;

export async function mayRecordRejection(db: Db, serviceId: string): Promise<boolean> {
  const recent = await db.webhookDelivery.count({
    where: { serviceId, outcome: "rejected", createdAt: { gt: new Date(Date.now() - 60_000) } },
  });
  return recent < MAX_REJECTED_PER_MINUTE;
}
