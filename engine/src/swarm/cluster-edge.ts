/**
 * The cluster edge on a swarm (see edge-spec.ts for its shape): ensureClusterEdge makes the
 * routed projects' overlay networks, the config secret and the global `berth-edge` service exist
 * as specified (idempotent: spec-hash label; objects without Berth's label are never adopted),
 * then waits until every edge task Swarm wants running runs. Through a manager's engine.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EngineApi } from "../engine-api.ts";
import { EngineError, engineMessage, isEngineError } from "../errors.ts";
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
import { hopelessTaskReason, isSwarmManager } from "./swarm-services.ts";

const OPERATION = "ensure cluster edge";
export const DEFAULT_EDGE_READY_TIMEOUT_MS = 90_000;
const POLL_MS = 250;
const STATUS = {
  200: true,
  201: true,
  400: "bad parameter",
  404: "not found",
  409: "conflict",
  500: "server error",
  503: "node is not part of a swarm",
};

interface Labelled {
  ID: string;
  Version?: { Index: number };
  Spec?: { Name?: string; Labels?: Record<string, string> };
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

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

function request<T>(
  api: EngineApi,
  operation: string,
  resource: string,
  path: string,
  method: "GET" | "POST" | "DELETE",
  body?: object,
  query?: object,
) {
  return api.call(operation, resource, (abortSignal) =>
    api.dial<T>({
      path,
      method,
      options: { ...(body ? { _body: body } : {}), ...(query ? { _query: query } : {}) },
      abortSignal,
      statusCodes: STATUS,
    }),
  );
}

async function ensureSecret(api: EngineApi, configJson: string): Promise<{ id: string; name: string }> {
  const name = buildEdgeSecretName(configJson);
  const filters = JSON.stringify({ name: [name] });
  const found = (await request<Labelled[]>(api, "list secrets", name, "/secrets?", "GET", undefined, { filters })).find(
    (s) => s.Spec?.Name === name,
  );
  if (found) {
    if (!isEdgeObject(found.Spec?.Labels)) throw failure("CONFLICT", name, `a secret named ${name} is not Berth's; it was left untouched`);
    return { id: found.ID, name };
  }
  const created = await request<{ ID: string }>(api, "create secret", name, "/secrets/create?", "POST", buildEdgeSecretSpec(configJson));
  return { id: created.ID, name };
}

/** Configs the service no longer uses (a refusal while a task still holds one is fine: next time). */
async function dropOldSecrets(api: EngineApi, keep: string): Promise<void> {
  const filters = JSON.stringify({ name: [CLUSTER_EDGE.secretPrefix] });
  for (const s of await request<Labelled[]>(api, "list secrets", CLUSTER_EDGE.secretPrefix, "/secrets?", "GET", undefined, { filters })) {
    if (s.Spec?.Name === keep || !isEdgeObject(s.Spec?.Labels)) continue;
    await request(api, "remove secret", s.Spec?.Name ?? s.ID, `/secrets/${s.ID}`, "DELETE").catch(() => undefined);
  }
}

async function inspectEdge(api: EngineApi): Promise<Labelled | null> {
  try {
    return await request<Labelled>(api, "inspect service", CLUSTER_EDGE.service, `/services/${CLUSTER_EDGE.service}?`, "GET");
  } catch (err) {
    if (isEngineError(err, "NOT_FOUND")) return null;
    throw err;
  }
}

/**
 * Every edge task Swarm wants running runs (one per active node), and the update (when `update`
 * says one was sent: the previous update's start, to tell its status from this one's) completed.
 */
async function waitForEdge(api: EngineApi, update: { before: string | undefined } | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const filters = JSON.stringify({ service: [CLUSTER_EDGE.service] });
  for (;;) {
    const info = await inspectEdge(api);
    const state = update === null || info?.UpdateStatus?.StartedAt === update.before ? undefined : info?.UpdateStatus?.State;
    if (state !== undefined && /rollback|paused/.test(state))
      throw failure("HEALTHCHECK_FAILED", CLUSTER_EDGE.service, `the edge's update ${state}: ${info?.UpdateStatus?.Message ?? ""}`.trim());
    const tasks = (await request<Task[]>(api, "list tasks", CLUSTER_EDGE.service, "/tasks?", "GET", undefined, { filters })).filter(
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
  await dropOldSecrets(api, secret.name);
}

async function ensureEdgeService(api: EngineApi, desired: { Labels: Record<string, string> } & object, timeoutMs: number): Promise<void> {
  const existing = await inspectEdge(api);
  if (existing === null) {
    await request(api, "create service", CLUSTER_EDGE.service, "/services/create?", "POST", desired);
    await waitForEdge(api, null, timeoutMs);
  } else {
    if (!isEdgeObject(existing.Spec?.Labels))
      throw failure("CONFLICT", CLUSTER_EDGE.service, `a service named ${CLUSTER_EDGE.service} is not Berth's; it was left untouched`);
    if (existing.Spec?.Labels?.[LABEL_SPEC_HASH] !== desired.Labels[LABEL_SPEC_HASH]) {
      const before = existing.UpdateStatus?.StartedAt;
      await request(api, "update service", CLUSTER_EDGE.service, `/services/${existing.ID}/update?`, "POST", desired, {
        version: existing.Version?.Index ?? 0,
      });
      await waitForEdge(api, { before }, timeoutMs);
    } else await waitForEdge(api, null, timeoutMs);
  }
}
