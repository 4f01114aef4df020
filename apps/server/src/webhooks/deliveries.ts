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
  outcome: WebhookOutcome;
  reason: string;
}

/**
 * Record a delivery once: the unique (serviceId, deliveryId) index decides, in one statement,
 * which of many concurrent copies of a delivery wins. Returns the new row's id, or null
 * when this delivery id was already recorded (a redelivery).
 */
export async function claimDelivery(db: Db, d: DeliveryRecord): Promise<string | null> {
  const id = randomUUID();
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO webhook_delivery (id, "serviceId", provider, "deliveryId", event, ref, "commitSha", outcome, reason)
    VALUES (${id}, ${d.serviceId}, ${d.provider}, ${d.deliveryId}, ${d.event}, ${d.ref ?? null}, ${d.commitSha ?? null}, ${d.outcome}::"WebhookOutcome", ${d.reason})
    ON CONFLICT ("serviceId", "deliveryId") DO NOTHING
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
