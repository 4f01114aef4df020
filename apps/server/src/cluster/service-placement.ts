/**
 * A service's placement: `server` (containers on Berth's own engine, today's behaviour and the
 * default, or on a standalone remote server's engine with `serverId`: servers/standalone-server.ts,
 * a team admin's choice) or `cluster` (a Swarm service through a manager, replicas spread over the nodes,
 * constrained by node labels). Opt-in per service, member of its team; audited.
 *
 * What the cluster does not run, refused at save (at `placement`) and again at deploy
 * (`clusterProblem`): compose stacks' services, host-path mounts, more than one replica with a
 * volume (a volume lives on one node, where the service is pinned: volume-pin.ts), a published
 * host port, run-to-completion jobs and host access.
 * Images Berth builds (git sources) reach the nodes through the cluster registry (registry/).
 */
import { recordAudit } from "../audit/audit.ts";
import type { Deps } from "../deps.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";
import { DomainError, invalidField } from "../errors.ts";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import { type Actor, loadService } from "../teams/access.ts";
import type { ServicePlacementInput } from "./service-placement-input.ts";
import { ownEngineProblem, standaloneProblem } from "../servers/standalone-server.ts";

export interface PlacementFacts {
  job: boolean;
  hostAccess: unknown;
  runtime: unknown;
  stackMember: boolean;
  volumes: number;
  /** Of those, host-path (bind) mounts. */
  hostPaths: number;
  replicas: number;
}

export const CLUSTER_PUBLISH =
  "A published host port is not supported on the cluster: cluster services are reached over their project's overlay network";
export const CLUSTER_HOST_PATH =
  "A host-path mount cannot run on the cluster: a path names a directory of one machine. Use a named volume, or keep the service on this server";
export const CLUSTER_VOLUME_REPLICAS =
  "A service with volumes runs as one replica on the cluster: its volume lives on one node and one process owns its data. Set replicas to 1, or remove its volumes";

/** Why this service cannot run on the cluster yet, or null. PURE. */
export function clusterProblem(s: PlacementFacts): string | null {
  if (s.stackMember) return "Services of a compose stack cannot run on the cluster yet: the stack deploys them on this server";
  if (s.job) return "Run-to-completion jobs cannot run on the cluster yet";
  if (s.hostAccess !== null && typeof s.hostAccess === "object" && Object.keys(s.hostAccess).length > 0)
    return "A service with powers over the host cannot run on the cluster";
  if (s.hostPaths > 0) return CLUSTER_HOST_PATH;
  if (s.volumes > 0 && s.replicas > 1) return CLUSTER_VOLUME_REPLICAS;
  if (readStoredRuntime(s.runtime).publish !== null) return CLUSTER_PUBLISH;
  return null;
}

export async function placementFacts(db: Deps["db"], serviceId: string): Promise<PlacementFacts> {
  const row = await db.service.findUniqueOrThrow({
    where: { id: serviceId },
    select: {
      job: true,
      hostAccess: true,
      runtime: true,
      replicas: true,
      stackMember: { select: { stackId: true } },
      volumes: { select: { hostPath: true } },
    },
  });
  return {
    ...row,
    stackMember: row.stackMember !== null,
    volumes: row.volumes.length,
    hostPaths: row.volumes.filter((v) => v.hostPath !== null).length,
  };
}

/**
 * Backups and restores of a database or volume read its data through a container on Berth's own
 * engine; a cluster service's data lives on its pinned node, which Berth does not reach that way
 * yet. Refused clearly at the field rather than failing on a missing container.
 */
export const CLUSTER_BACKUP =
  "Backups and restores of a service on the cluster are not supported yet: its data lives on the node it is pinned to";

/** Settings a cluster service cannot save (services.update), each at its field. PURE. */
export function clusterSettingsProblem(input: {
  replicas: number;
  volumes: ReadonlyArray<{ hostPath?: string | null }>;
}): { field: string; message: string } | null {
  if (input.volumes.some((v) => v.hostPath)) return { field: "volumes", message: CLUSTER_HOST_PATH };
  if (input.volumes.length > 0 && input.replicas > 1) return { field: "replicas", message: CLUSTER_VOLUME_REPLICAS };
  return null;
}

/**
 * A standalone target must exist, be reached over TLS or SSH, be no cluster node, answer and not
 * be Berth's own engine reached another way; jobs and compose stacks' services stay on Berth's
 * own engine for now (errors at `serverId`).
 */
async function assertStandaloneTarget(deps: PlacementDeps, serviceId: string, serverId: string): Promise<void> {
  const row = await deps.db.server.findUnique({ where: { id: serverId } });
  if (!row) throw invalidField("serverId", "No such server: pick one from the list");
  const problem = standaloneProblem(row);
  if (problem) throw invalidField("serverId", problem);
  const facts = await placementFacts(deps.db, serviceId);
  if (facts.job) throw invalidField("serverId", REMOTE_JOB);
  if (facts.stackMember)
    throw invalidField(
      "serverId",
      "Services of a compose stack cannot run on a remote server yet: the stack deploys them on Berth's own server",
    );
  const own = await ownEngineProblem(deps, row);
  if (own) throw invalidField("serverId", own);
}

export const REMOTE_JOB = "Run-to-completion jobs cannot run on a remote server yet";

type PlacementDeps = Pick<Deps, "db" | "engine" | "box">;

export async function setServicePlacement(deps: PlacementDeps, actor: Actor, serviceId: string, input: ServicePlacementInput) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const constraints = input.constraints ?? [];
  const serverId = input.placement === "server" ? (input.serverId ?? null) : null;
  if (input.placement === "cluster" && (input.serverId ?? null) !== null)
    throw invalidField("serverId", "A service on the cluster runs on its nodes: pick no server");
  // Choosing the machine a service runs on (an instance-wide server) is a team admin's action.
  if (serverId !== service.serverId) await loadService(deps.db, actor, serviceId, "admin");
  if (serverId !== null && serverId !== service.serverId) await assertStandaloneTarget(deps, serviceId, serverId);
  if (serverId !== service.serverId && (await findLiveDeployment(deps.db, serviceId)))
    throw new DomainError(
      "CONFLICT",
      `${service.name} has been deployed where it runs now: moving a deployed service to another server is not supported yet (delete it and create it again)`,
    );
  if (input.placement === "cluster") {
    if (!(await deps.db.cluster.findUnique({ where: { id: 1 } })))
      throw invalidField("placement", "Cluster mode is off: the instance owner creates a cluster on the Servers page first");
    const facts = await placementFacts(deps.db, serviceId);
    const problem = clusterProblem(facts);
    if (problem) throw invalidField("placement", problem);
    // Its data would stay behind: a pinned node starts with empty volumes.
    if (service.placement === "server" && facts.volumes > 0 && (await findLiveDeployment(deps.db, serviceId)))
      throw invalidField(
        "placement",
        `${service.name} has run on this server: its volumes hold its data here, and moving a volume to a cluster node is not supported yet (a node would start with empty volumes)`,
      );
  } else if (constraints.length > 0) {
    throw invalidField("constraints", "Placement constraints apply to services on the cluster only");
  }
  if (service.placement === "cluster" && input.placement === "server" && (await findLiveDeployment(deps.db, serviceId))) {
    throw new DomainError(
      "CONFLICT",
      `${service.name} runs on the cluster: moving a deployed service back to this server is not supported yet (delete it and create it again)`,
    );
  }
  await deps.db.service.update({
    where: { id: serviceId },
    data: { placement: input.placement, placementConstraints: constraints, serverId },
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.placement",
    targetType: "service",
    targetId: serviceId,
    detail: { name: service.name, placement: input.placement, constraints, ...(serverId ? { serverId } : {}) },
  });
  return { ok: true as const, placement: input.placement, constraints, serverId };
}
