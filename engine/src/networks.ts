/**
 * Berth's user networks (bridge on standalone Docker, inter-container traffic on within the
 * network and isolated from every other bridge by Docker): ensure (idempotent, labelled) and
 * prune (only Berth-labelled networks without containers). A same-named network without
 * Berth's label is never adopted or removed: CONFLICT.
 */
import type { NetworkInspectInfo } from "dockerode";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError, orNullIfMissing } from "./errors.ts";
import {
  buildResourceLabels,
  isManagedByBerth,
  LABEL_MANAGED_BY,
  LABEL_PROJECT,
  LABEL_SCOPE,
  LABEL_SERVICE,
  MANAGED_BY_VALUE,
} from "./labels.ts";
import type { OwnerRef } from "./port-types.ts";
import { buildNetworkName } from "./names.ts";

export interface NetworkRequest {
  name: string;
  scope: "project" | "service";
  owner: OwnerRef;
  /** "bridge" (standalone) or "overlay" (swarm). */
  driver?: "bridge" | "overlay";
}

export async function inspectNetwork(api: EngineApi, name: string): Promise<NetworkInspectInfo | null> {
  return orNullIfMissing(
    api.call("inspect network", name, (abortSignal) =>
      api.dial<NetworkInspectInfo>({
        path: `/networks/${encodeURIComponent(name)}?`,
        method: "GET",
        abortSignal,
        statusCodes: { 200: true, 404: "no such network", 500: "server error" },
      }),
    ),
  );
}

function requireBerth(info: NetworkInspectInfo, name: string): string {
  if (!isManagedByBerth(info.Labels)) {
    throw new EngineError({
      code: "CONFLICT",
      operation: "ensure network",
      resource: name,
      message: `ensure network ${name}: a network with this name exists and is not managed by Berth; it was left untouched`,
    });
  }
  return info.Id;
}

/**
 * Docker answers 404 "could not find an available, non-overlapping IPv4 address pool" when
 * its address pools are used up (the defaults hold about 30 bridge networks): not a missing
 * object, so not NOT_FOUND.
 */
function poolExhausted(name: string, cause: unknown): EngineError {
  const message =
    `create network ${name}: the engine has no free address range for another network (Docker's default ` +
    `address pools hold about 30 bridge networks); widen default-address-pools in the engine's daemon.json or remove unused networks`;
  return new EngineError({
    code: "ENGINE_ERROR",
    operation: "create network",
    resource: name,
    message,
    details: { reason: engineMessage(cause) },
    cause,
  });
}

/**
 * Ensures in flight, per network name. Docker's CheckDuplicate is best-effort: two creates of one
 * name at once (two first deployments of one project) can both succeed, and every later start on
 * that name then fails as "ambiguous". Callers of this process share one create per name.
 */
const inFlight = new Map<string, Promise<string>>();

/** The network's id, creating it (labelled) when absent. */
export function ensureNetwork(api: EngineApi, req: NetworkRequest): Promise<string> {
  const pending = inFlight.get(req.name);
  if (pending) return pending;
  const created = ensureNetworkOnce(api, req).finally(() => inFlight.delete(req.name));
  inFlight.set(req.name, created);
  return created;
}

async function ensureNetworkOnce(api: EngineApi, req: NetworkRequest): Promise<string> {
  const existing = await inspectNetwork(api, req.name);
  if (existing !== null) return requireBerth(existing, req.name);
  const { teamId, projectId, serviceId } = req.owner;
  const labels = buildResourceLabels(req.scope === "project" ? { teamId, projectId } : { teamId, projectId, serviceId }, {
    [LABEL_SCOPE]: req.scope,
  });
  const driver = req.driver ?? "bridge";
  try {
    const created = await api.call("create network", req.name, (abortSignal) =>
      api.docker.createNetwork({
        Name: req.name,
        Driver: driver,
        CheckDuplicate: true,
        Attachable: driver === "overlay",
        Labels: labels,
        // Containers on one network reach each other; Docker's isolation rules keep every other
        // bridge network (other projects, the default bridge) out.
        ...(driver === "bridge" ? { Options: { "com.docker.network.bridge.enable_icc": "true" } } : {}),
        abortSignal,
      }),
    );
    return created.id;
  } catch (err) {
    if (/non-overlapping IPv4 address pool/i.test(engineMessage(err))) throw poolExhausted(req.name, err);
    // Another caller created it between our inspect and create: use theirs if it is Berth's.
    if (!isEngineError(err, "CONFLICT")) throw err;
    const raced = await inspectNetwork(api, req.name);
    if (raced === null) throw err;
    return requireBerth(raced, req.name);
  }
}

/**
 * The project's bridge network, made (labelled) when it is missing: true when it was made.
 * A same-named network without Berth's label is CONFLICT, as everywhere.
 */
export async function ensureProjectNetwork(api: EngineApi, owner: { teamId: string; projectId: string }): Promise<boolean> {
  const name = buildNetworkName("project", owner.projectId);
  const existing = await inspectNetwork(api, name);
  if (existing !== null) {
    requireBerth(existing, name);
    return false;
  }
  // Project-scoped labels carry no service.
  await ensureNetwork(api, { name, scope: "project", owner: { ...owner, serviceId: "" } });
  return true;
}

/**
 * Remove Berth-labelled networks (of a project or service, or all) that no container uses.
 * Returns the names removed. Unlabelled networks are never listed, so never touched.
 */
export async function pruneNetworks(api: EngineApi, filter: { projectId?: string; serviceId?: string } = {}): Promise<string[]> {
  const label = [`${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`];
  if (filter.projectId !== undefined) label.push(`${LABEL_PROJECT}=${filter.projectId}`);
  if (filter.serviceId !== undefined) label.push(`${LABEL_SERVICE}=${filter.serviceId}`);
  const networks = await api.call("list networks", "berth", (abortSignal) => api.docker.listNetworks({ filters: { label }, abortSignal }));
  const removed: string[] = [];
  for (const n of networks) {
    const info = await inspectNetwork(api, n.Id);
    if (info === null || !isManagedByBerth(info.Labels)) continue;
    if (Object.keys(info.Containers ?? {}).length > 0) continue;
    try {
      await api.call("remove network", n.Name, (abortSignal) => api.docker.getNetwork(n.Id).remove({ abortSignal }));
      removed.push(n.Name);
    } catch (err) {
      // In use again (a release joined it meanwhile) or already gone: leave it.
      if (!isEngineError(err, "NOT_FOUND") && !isEngineError(err, "CONFLICT") && !/in use|active endpoints/i.test(String(err))) throw err;
    }
  }
  return removed;
}
