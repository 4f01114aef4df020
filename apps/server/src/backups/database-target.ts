/**
 * What a backup or restore of one database needs: its recipe, the running container, the
 * exec's environment (from the service's variables) and the project's destination store.
 */
import { backupPlacementProblem } from "./backup-placement.ts";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { ENGINE_RECIPES, type BackupRecipe } from "../databases/database-engines.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import { redactionNeedles } from "../secrets/redaction.ts";
import { findLiveContainer } from "../services/live-container.ts";
import { backupRoot } from "./backup-dir.ts";
import { storeOf, type BackupStore } from "./stores.ts";

export interface DatabaseTarget {
  service: { id: string; name: string; projectId: string; teamId: string; projectName: string };
  recipe: BackupRecipe;
  vars: Record<string, string>;
  /** Values to redact from logs (the password). */
  needles: string[];
  destinationKind: "directory" | "s3";
  store: BackupStore;
}

type TargetDeps = Pick<Deps, "db" | "env" | "engine" | "box">;

/** A service of the project and the project's destination store (no destination: INVALID at the destination). */
export async function serviceAndStore(deps: Pick<Deps, "db" | "env" | "box">, serviceId: string) {
  const s = await deps.db.service.findUniqueOrThrow({
    where: { id: serviceId },
    include: { project: { include: { backupDestination: true } } },
  });
  const destination = s.project.backupDestination;
  const ready = () => {
    if (!destination) throw invalidField("destination", `Set a backup destination for project ${s.project.name} first`);
    return destination;
  };
  return {
    row: s,
    service: { id: s.id, name: s.name, projectId: s.projectId, teamId: s.project.teamId, projectName: s.project.name },
    destination: () => ({ destinationKind: ready().kind, store: storeOf(ready(), deps.box, backupRoot(deps.env)) }),
  };
}

export async function databaseTarget(deps: TargetDeps, serviceId: string): Promise<DatabaseTarget> {
  const { row: s, service, destination } = await serviceAndStore(deps, serviceId);
  if (!s.databaseEngine) throw new DomainError("INVALID", `${s.name} is not a database Berth created: it has no backup recipe`);
  const problem = backupPlacementProblem(s);
  if (problem) throw invalidField("serviceId", problem);
  const where = destination();
  const resolved = await resolveDeployEnv(deps.db, deps.box, { projectId: s.projectId, serviceId: s.id });
  return {
    service,
    recipe: ENGINE_RECIPES[s.databaseEngine].backup,
    vars: resolved.runtime,
    needles: redactionNeedles(resolved.secretValues),
    ...where,
  };
}

/** The database's running container, or a CONFLICT naming the database. */
export async function runningContainer(
  deps: Pick<Deps, "db" | "engine">,
  target: Pick<DatabaseTarget, "service">,
  doing: string,
): Promise<string> {
  const live = await findLiveContainer(deps, target.service.id);
  if (!live) throw new DomainError("CONFLICT", `Database ${target.service.name} is not running: start or deploy it, then ${doing}`);
  return live.containerId;
}

/** Keep the last `max` bytes of a process's stderr: enough to say what went wrong. */
export function tailCollector(max = 64 * 1024) {
  let buf = Buffer.alloc(0);
  return {
    push(chunk: Buffer) {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > max) buf = buf.subarray(buf.length - max);
    },
    text: () => buf.toString("utf8"),
  };
}

/** Whether a dump's last KiB holds the recipe's completion line (always, for recipes without one). */
export function endsComplete(recipe: Pick<BackupRecipe, "completeMarker">, tail: string): boolean {
  return !recipe.completeMarker || tail.includes(recipe.completeMarker);
}
