import type { Deps } from "../deps.ts";
import { getSettings } from "../instance/settings.ts";

/**
 * Delete the log lines of deployments that finished more than the retention period ago
 * (InstanceSettings.buildLogRetentionDays). The deployment rows and releases stay.
 */
export async function pruneBuildLogs(deps: Pick<Deps, "db">, now = new Date()): Promise<number> {
  const { buildLogRetentionDays } = await getSettings(deps.db);
  const cutoff = new Date(now.getTime() - buildLogRetentionDays * 24 * 3600_000);
  return deps.db.$executeRaw`
    DELETE FROM build_log_line l USING deployment d
    WHERE l."deploymentId" = d.id AND d."finishedAt" < ${cutoff}`;
}
