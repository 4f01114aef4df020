import type { Deps } from "../deps.ts";

/**
 * Take services down for the user (stop, delete): their desired state says `stopped` BEFORE the
 * engine stops or removes anything, so the reconciler, seeing containers stop or vanish, never
 * brings them back. If `takeDown` fails, the desired states are put back as they were.
 */
export async function takeDown<T>(
  db: Deps["db"],
  services: ReadonlyArray<{ id: string; desiredState: "running" | "stopped" }>,
  takeDown: () => Promise<T>,
): Promise<T> {
  const wereRunning = services.filter((s) => s.desiredState === "running").map((s) => s.id);
  await db.service.updateMany({ where: { id: { in: wereRunning } }, data: { desiredState: "stopped" } });
  try {
    return await takeDown();
  } catch (err) {
    await db.service.updateMany({ where: { id: { in: wereRunning } }, data: { desiredState: "running" } });
    throw err;
  }
}
