/**
 * Services that should run and do not, for /healthz: a count for anyone, names only for a
 * signed-in caller -- every service for the instance owner, their own teams' for a member --
 * so an unauthenticated probe never learns another team's service names.
 */
import type { Deps } from "../deps.ts";
import { observe, ownEngine } from "./observe.ts";
import { servicesDown, servicesThatShouldRun } from "./plan.ts";

export interface ServicesHealth {
  shouldRun: number;
  notRunning: number;
  /** Present for a signed-in caller: the services (of the teams they may see) that should run and do not. */
  notRunningServices?: Array<{ id: string; name: string; teamId: string }>;
}

export interface HealthViewer {
  userId: string;
  instanceRole: "owner" | "user";
}

export async function readServicesHealth(deps: Pick<Deps, "db" | "engine">, viewer: HealthViewer | null): Promise<ServicesHealth> {
  // Berth's own engine: a remote server that answers slowly must not hold up /healthz.
  const observation = await observe(deps, ownEngine(deps));
  const down = servicesDown(observation);
  const health: ServicesHealth = { shouldRun: servicesThatShouldRun(observation).length, notRunning: down.length };
  if (viewer === null) return health;
  let visible = down;
  if (viewer.instanceRole !== "owner") {
    const teams = new Set(
      (await deps.db.membership.findMany({ where: { userId: viewer.userId }, select: { teamId: true } })).map((m) => m.teamId),
    );
    visible = down.filter((s) => teams.has(s.teamId));
  }
  return { ...health, notRunningServices: visible.map((s) => ({ id: s.id, name: s.name, teamId: s.teamId })) };
}
