import type { Deps } from "../deps.ts";

/**
 * The project's network goes with its last container (stopped ones count: a stopped container
 * cannot start again without its network). A failure only leaves an empty network behind.
 */
export async function pruneProjectNetwork(deps: Pick<Deps, "engine" | "log">, projectId: string): Promise<void> {
  try {
    const left = (await deps.engine.listManaged({ projectId })).some((c) => c.owner.projectId === projectId);
    if (!left) await deps.engine.pruneNetworks({ projectId });
  } catch (err) {
    deps.log.warn({ projectId, err: String(err) }, "could not remove the project's network");
  }
}
