/**
 * The containers of cluster services' running tasks, and the live containers of services on
 * standalone remote servers, for the metrics sampler: each followed through the engine of the
 * node or server that runs it (cluster/task-containers.ts, servers/standalone-server.ts). Finding them costs a
 * manager's task list per cluster service and a container lookup per task, so the list is
 * refreshed at most every 10 s, in the background: a sampler tick never waits for a node.
 */
import type { ContainerEngine } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { runningTaskContainers } from "../cluster/task-containers.ts";
import { findLiveContainerAndEngine } from "../services/live-container.ts";

/** One container whose stats the sampler follows: on Berth's engine, or a task's on its node's. */
export interface StatsTarget {
  /** The container id, prefixed by the task for a cluster task. */
  key: string;
  containerId: string;
  serviceId: string;
  teamId: string;
  engine: Pick<ContainerEngine, "followStats">;
}

const REFRESH_MS = 10_000;

export class ClusterStatsTargets {
  private targets: StatsTarget[] = [];
  private refreshedAt = 0;
  private refreshing = false;

  constructor(
    private readonly deps: Pick<Deps, "db" | "box" | "log" | "engine">,
    private readonly refreshMs = REFRESH_MS,
  ) {}

  /** The targets last found; starts a refresh when one is due. */
  current(now = Date.now()): StatsTarget[] {
    if (!this.refreshing && now - this.refreshedAt >= this.refreshMs) {
      this.refreshing = true;
      void this.refresh()
        .catch((err: unknown) => this.deps.log.debug({ err: String(err) }, "cluster task metrics not refreshed"))
        .finally(() => {
          this.refreshing = false;
          this.refreshedAt = Date.now();
        });
    }
    return this.targets;
  }

  private async refresh(): Promise<void> {
    const [cluster, remote] = await Promise.all([this.clusterTargets(), this.remoteTargets()]);
    this.targets = [...cluster, ...remote];
  }

  /** The live container of each service on a standalone remote server, through that server's engine. */
  private async remoteTargets(): Promise<StatsTarget[]> {
    const services = await this.deps.db.service.findMany({
      where: { serverId: { not: null } },
      select: { id: true, serverId: true, project: { select: { teamId: true } } },
    });
    const found: StatsTarget[] = [];
    for (const s of services) {
      try {
        const live = await findLiveContainerAndEngine(this.deps, s);
        if (!live) continue;
        const { containerId } = live.container;
        found.push({ key: `${s.id}/${containerId}`, containerId, serviceId: s.id, teamId: s.project.teamId, engine: live.engine });
      } catch (err) {
        this.deps.log.debug({ serviceId: s.id, err: String(err) }, "remote service metrics not listed");
      }
    }
    return found;
  }

  private async clusterTargets(): Promise<StatsTarget[]> {
    if (!(await this.deps.db.cluster.findUnique({ where: { id: 1 }, select: { id: true } }))) return [];
    const services = await this.deps.db.service.findMany({
      where: { placement: "cluster" },
      select: { id: true, project: { select: { teamId: true } } },
    });
    const found: StatsTarget[] = [];
    for (const s of services) {
      try {
        const { containers } = await runningTaskContainers(this.deps, s.id);
        for (const c of containers)
          found.push({
            key: `${c.taskId}/${c.containerId}`,
            containerId: c.containerId,
            serviceId: s.id,
            teamId: s.project.teamId,
            engine: c.engine,
          });
      } catch (err) {
        // No manager answers: its tasks' streams end by themselves if their nodes go too.
        this.deps.log.debug({ serviceId: s.id, err: String(err) }, "cluster task metrics not listed");
      }
    }
    return found;
  }
}
