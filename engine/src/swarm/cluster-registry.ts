/**
 * The cluster registry on a swarm (see registry-spec.ts for its shape): ensureClusterRegistry
 * makes the overlay network, the htpasswd secret and the two services exist as specified
 * (idempotent: spec-hash labels; objects without Berth's label are never adopted) and waits until
 * the engine it drives signs in to the registry at 127.0.0.1:<port>. Through a manager's engine.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EngineApi } from "../engine-api.ts";
import { EngineError, engineMessage, isEngineError } from "../errors.ts";
import { isManagedByBerth, LABEL_SCOPE, LABEL_SPEC_HASH } from "../labels.ts";
import type { RegistryAuth } from "../registry-auth.ts";
import { registryLogin } from "../registry-login.ts";
import { isSwarmManager } from "./swarm-services.ts";
import { dropOldSecrets, ensureScopedSecret, inspectSwarmService, swarmRequest } from "./swarm-objects.ts";
import {
  buildForwarderServiceSpec,
  buildRegistryNetworkSpec,
  buildRegistrySecretName,
  buildRegistrySecretSpec,
  buildRegistryServiceSpec,
  CLUSTER_REGISTRY,
  type ClusterRegistrySpec,
} from "./registry-spec.ts";

const OPERATION = "ensure cluster registry";
export const DEFAULT_REGISTRY_READY_TIMEOUT_MS = 120_000;
const POLL_MS = 500;
function conflict(resource: string, what: string): EngineError {
  return new EngineError({
    code: "CONFLICT",
    operation: OPERATION,
    resource,
    message: `${OPERATION}: a ${what} named ${resource} exists and is not Berth's cluster registry; it was left untouched`,
  });
}

function isRegistryObject(labels: Record<string, string> | undefined): boolean {
  return isManagedByBerth(labels) && labels?.[LABEL_SCOPE] === CLUSTER_REGISTRY.scope;
}

async function ensureRegistryNetwork(api: EngineApi, encrypted: boolean): Promise<void> {
  const name = CLUSTER_REGISTRY.network;
  const filters = JSON.stringify({ name: [name] });
  const found = (
    await swarmRequest<Array<{ Name: string; Labels?: Record<string, string> }>>(
      api,
      "list networks",
      name,
      "/networks?",
      "GET",
      undefined,
      {
        filters,
      },
    )
  ).find((n) => n.Name === name);
  if (found) {
    if (!isRegistryObject(found.Labels)) throw conflict(name, "network");
    return;
  }
  await swarmRequest(api, "create network", name, "/networks/create?", "POST", buildRegistryNetworkSpec(encrypted));
}

function ensureSecret(api: EngineApi, htpasswd: string): Promise<string> {
  const name = buildRegistrySecretName(htpasswd);
  return ensureScopedSecret(api, name, buildRegistrySecretSpec(htpasswd), isRegistryObject, () => conflict(name, "secret"));
}

async function ensureService(api: EngineApi, desired: { Labels: Record<string, string> } & object, name: string): Promise<void> {
  const existing = await inspectSwarmService(api, name);
  if (existing === null) {
    await swarmRequest(api, "create service", name, "/services/create?", "POST", desired);
    return;
  }
  if (!isRegistryObject(existing.Spec?.Labels)) throw conflict(name, "service");
  if (existing.Spec?.Labels?.[LABEL_SPEC_HASH] === desired.Labels[LABEL_SPEC_HASH]) return;
  await swarmRequest(api, "update service", name, `/services/${existing.ID}/update?`, "POST", desired, {
    version: existing.Version?.Index ?? 0,
  });
}

/**
 * Poll until the engine behind `api` signs in to the registry (its forwarder task on that node
 * is up and the registry answers). Refused credentials fail at once; anything else is retried
 * until the deadline.
 */
export async function waitForRegistry(api: EngineApi, auth: RegistryAuth, timeoutMs = DEFAULT_REGISTRY_READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await registryLogin(api, auth, 15_000);
      return;
    } catch (err) {
      if (isEngineError(err, "INVALID") || Date.now() > deadline)
        throw new EngineError({
          code: isEngineError(err, "INVALID") ? "INVALID" : "TIMEOUT",
          operation: OPERATION,
          resource: auth.serveraddress,
          message: `${OPERATION}: ${api.target} cannot sign in to the cluster registry at ${auth.serveraddress}: ${engineMessage(err)}`,
        });
    }
    await sleep(POLL_MS);
  }
}

export async function ensureClusterRegistry(
  api: EngineApi,
  spec: ClusterRegistrySpec,
  auth: RegistryAuth,
  timeoutMs = DEFAULT_REGISTRY_READY_TIMEOUT_MS,
): Promise<void> {
  if (!(await isSwarmManager(api)))
    throw new EngineError({
      code: "CONFLICT",
      operation: OPERATION,
      resource: api.target,
      message: `${OPERATION}: the engine at ${api.target} is not a Swarm manager`,
    });
  await ensureRegistryNetwork(api, spec.encrypted ?? false);
  const secretId = await ensureSecret(api, spec.htpasswd);
  await ensureService(api, buildRegistryServiceSpec(spec, secretId), CLUSTER_REGISTRY.service);
  await ensureService(api, buildForwarderServiceSpec(spec), CLUSTER_REGISTRY.forwarder);
  await waitForRegistry(api, auth, timeoutMs);
  await dropOldSecrets(api, CLUSTER_REGISTRY.secretPrefix, buildRegistrySecretName(spec.htpasswd), isRegistryObject);
}
