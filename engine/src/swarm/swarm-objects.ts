/**
 * The Swarm objects Berth's own cluster services (the registry, the edge) are made of, through a
 * manager's Engine API: one request shape, a labelled secret found or made by its name (never
 * adopting one that is not Berth's of that scope), earlier secrets of the same prefix dropped once
 * unused, and a service inspected by name.
 */
import type { EngineApi } from "../engine-api.ts";
import type { EngineError } from "../errors.ts";
import { engineMessage, isEngineError, orNullIfMissing } from "../errors.ts";

const STATUS = {
  200: true,
  201: true,
  400: "bad parameter",
  404: "not found",
  409: "conflict",
  500: "server error",
  503: "node is not part of a swarm",
};

/** A swarm object as listed or inspected: what Berth reads of it. */
export interface Labelled {
  ID: string;
  Version?: { Index: number };
  Spec?: { Name?: string; Labels?: Record<string, string> };
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

type IsOurs = (labels: Record<string, string> | undefined) => boolean;

export function swarmRequest<T>(
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

/** The id of the secret `name`: Berth's one of this scope, or made from `spec`; another's is `conflict()`. */
export async function ensureScopedSecret(
  api: EngineApi,
  name: string,
  spec: object,
  isOurs: IsOurs,
  conflict: () => EngineError,
): Promise<string> {
  const found = await findSecret(api, name);
  if (found) {
    if (!isOurs(found.Spec?.Labels)) throw conflict();
    return found.ID;
  }
  try {
    return (await swarmRequest<{ ID: string }>(api, "create secret", name, "/secrets/create?", "POST", spec)).ID;
  } catch (err) {
    // Made meanwhile by another release ensuring the same secret (two deployments at once): that one is it.
    if (!isEngineError(err, "CONFLICT") && !/already exists/i.test(engineMessage(err))) throw err;
    const made = await findSecret(api, name);
    if (!made) throw err;
    if (!isOurs(made.Spec?.Labels)) throw conflict();
    return made.ID;
  }
}

async function findSecret(api: EngineApi, name: string): Promise<Labelled | undefined> {
  const filters = JSON.stringify({ name: [name] });
  const listed = await swarmRequest<Labelled[]>(api, "list secrets", name, "/secrets?", "GET", undefined, { filters });
  return listed.find((s) => s.Spec?.Name === name);
}

/** Berth's secrets of this prefix other than `keep`, removed (a refusal while a task still holds one is fine: next time). */
export async function dropOldSecrets(api: EngineApi, prefix: string, keep: string, isOurs: IsOurs): Promise<void> {
  const filters = JSON.stringify({ name: [prefix] });
  for (const s of await swarmRequest<Labelled[]>(api, "list secrets", prefix, "/secrets?", "GET", undefined, { filters })) {
    if (s.Spec?.Name === keep || !isOurs(s.Spec?.Labels)) continue;
    await swarmRequest(api, "remove secret", s.Spec?.Name ?? s.ID, `/secrets/${s.ID}`, "DELETE").catch(() => undefined);
  }
}

/** The service named `name`, or null when there is none. */
export async function inspectSwarmService(api: EngineApi, name: string): Promise<Labelled | null> {
  return orNullIfMissing(swarmRequest<Labelled>(api, "inspect service", name, `/services/${name}?`, "GET"));
}
