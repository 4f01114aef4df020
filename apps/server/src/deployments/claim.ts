import type { Db } from "@berth/db";

/**
 * Claim the oldest queued deployment whose service has none deploying, and mark it
 * `deploying` in the same statement. SKIP LOCKED lets several workers share the queue.
 */
export async function claimNextDeployment(db: Db): Promise<string | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE deployment SET status = 'deploying', "startedAt" = now()
    WHERE id = (
      SELECT d.id FROM deployment d
      WHERE d.status = 'queued'
        AND NOT EXISTS (
          SELECT 1 FROM deployment x WHERE x."serviceId" = d."serviceId" AND x.status = 'deploying'
        )
      ORDER BY d."createdAt"
      FOR UPDATE SKIP LOCKED
      LIMIT 1
    )
    RETURNING id`;
  return rows[0]?.id ?? null;
}
