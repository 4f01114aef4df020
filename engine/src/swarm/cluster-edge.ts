/**
 * The cluster edge on a swarm (see edge-spec.ts for its shape): ensureClusterEdge makes the
 * routed projects' overlay networks, the config secret and the global `berth-edge` service exist
 * as specified (idempotent: spec-hash label; objects without Berth's label are never adopted),
 * then waits until every edge task Swarm wants running runs. Through a manager's engine.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EngineApi } from "../engine-api.ts";
import { EngineError, engineMessage } from "../errors.ts";
import { isManagedByBerth, LABEL_SCOPE, LABEL_SPEC_HASH } from "../labels.ts";
import { ensureNetwork } from "../networks.ts";
import {
  buildEdgeCaddyConfig,
  buildEdgeSecretName,
  buildEdgeSecretSpec,
  buildEdgeServiceSpec,
  CLUSTER_EDGE,
  edgeNetworks,
  type ClusterEdgeSpec,
} from "./edge-spec.ts";
import { buildOverlayNetworkName } from "./service-spec.ts";
import { isSwarmManager } from "./swarm-services.ts";
import { hopelessTaskReason } from "./swarm-waits.ts";
import { dropOldSecrets, ensureScopedSecret, inspectSwarmService, swarmRequest } from "./swarm-objects.ts";

const OPERATION = "ensure cluster edge";
export const DEFAULT_EDGE_READY_TIMEOUT_MS = 90_000;
const POLL_MS = 250;
interface Task {
  DesiredState?: string;
  Status?: { State?: string; Err?: string };
}

function isEdgeObject(labels: Record<string, string> | undefined): boolean {
  return isManagedByBerth(labels) && labels?.[LABEL_SCOPE] === CLUSTER_EDGE.scope;
}

function failure(code: "CONFLICT" | "TIMEOUT" | "HEALTHCHECK_FAILED", resource: string, message: string): EngineError {
  return new EngineError({ code, operation: OPERATION, resource, message: `${OPERATION}: ${message}` });
}

async function ensureSecret(api: EngineApi, configJson: string): Promise<{ id: string; name: string }> {
  const name = buildEdgeSecretName(configJson);
  const id = await ensureScopedSecret(api, name, buildEdgeSecretSpec(configJson), isEdgeObject, () =>
    failure("CONFLICT", name, `a secret named ${name} is not Berth's; it was left untouched`),
  );
  return { id, name };
}

/**
 * Every edge task Swarm wants running runs (one per active node), and the update (when `update`
 * says one was sent: the previous update's start, to tell its status from this one's) completed.
 */
async function waitForEdge(api: EngineApi, update: { before: string | undefined } | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const filters = JSON.stringify({ service: [CLUSTER_EDGE.service] });
  for (;;) {
    const info = await inspectSwarmService(api, CLUSTER_EDGE.service);
    const state = update === null || info?.UpdateStatus?.StartedAt === update.before ? undefined : info?.UpdateStatus?.State;
    if (state !== undefined && /rollback|paused/.test(state))
      throw failure("HEALTHCHECK_FAILED", CLUSTER_EDGE.service, `the edge's update ${state}: ${info?.UpdateStatus?.Message ?? ""}`.trim());
    const tasks = (await swarmRequest<Task[]>(api, "list tasks", CLUSTER_EDGE.service, "/tasks?", "GET", undefined, { filters })).filter(
      (t) => t.DesiredState === "running",
    );
    const hopeless = hopelessTaskReason(tasks);
    if (hopeless !== null) throw failure("HEALTHCHECK_FAILED", CLUSTER_EDGE.service, hopeless);
    const settled = update === null || state === "completed";
    if (settled && tasks.length > 0 && tasks.every((t) => t.Status?.State === "running")) return;
    if (Date.now() > deadline) {
      const running = tasks.filter((t) => t.Status?.State === "running").length;
      throw failure("TIMEOUT", CLUSTER_EDGE.service, `${running} of ${tasks.length} edge task(s) running after ${timeoutMs / 1000} s`);
    }
    await sleep(POLL_MS);
  }
}

export async function ensureClusterEdge(api: EngineApi, spec: ClusterEdgeSpec, timeoutMs = DEFAULT_EDGE_READY_TIMEOUT_MS): Promise<void> {
  if (!(await isSwarmManager(api))) throw failure("CONFLICT", api.target, `the engine at ${api.target} is not a Swarm manager`);
  const configJson = JSON.stringify(buildEdgeCaddyConfig(spec.routes));
  // The projects' networks: made here when a service's first release has not made it yet.
  for (const r of spec.routes)
    await ensureNetwork(api, {
      name: buildOverlayNetworkName(r.owner.projectId),
      scope: "project",
      owner: { ...r.owner, serviceId: "" },
      driver: "overlay",
    });
  const secret = await ensureSecret(api, configJson);
  const desired = buildEdgeServiceSpec({ image: spec.image, port: spec.port, networks: edgeNetworks(spec.routes) }, secret);
  // Two releases may ensure the edge at once: an update refused as out of sequence is tried again on the new version.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureEdgeService(api, desired, timeoutMs);
      break;
    } catch (err) {
      if (attempt >= 3 || !/out of sequence|already exists|name conflicts/i.test(engineMessage(err))) throw err;
      await sleep(POLL_MS);
    }
  }
  await dropOldSecrets(api, CLUSTER_EDGE.secretPrefix, secret.name, isEdgeObject);
}

async function ensureEdgeService(api: EngineApi, desired: { Labels: Record<string, string> } & object, timeoutMs: number): Promise<void> {
  const existing = await inspectSwarmService(api, CLUSTER_EDGE.service);
  if (existing === null) {
    await swarmRequest(api, "create service", CLUSTER_EDGE.service, "/services/create?", "POST", desired);
    await waitForEdge(api, null, timeoutMs);
  } else {
    if (!isEdgeObject(existing.Spec?.Labels))
      throw failure("CONFLICT", CLUSTER_EDGE.service, `a service named ${CLUSTER_EDGE.service} is not Berth's; it was left untouched`);
    if (existing.Spec?.Labels?.[LABEL_SPEC_HASH] !== desired.Labels[LABEL_SPEC_HASH]) {
      const before = existing.UpdateStatus?.StartedAt;
      await swarmRequest(api, "update service", CLUSTER_EDGE.service, `/services/${existing.ID}/update?`, "POST", desired, {
        version: existing.Version?.Index ?? 0,
      });
      await waitForEdge(api, { before }, timeoutMs);
    } else await waitForEdge(api, null, timeoutMs);
  }
}
