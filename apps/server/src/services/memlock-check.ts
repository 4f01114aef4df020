/**
 * A service's memlock ulimit against the memory limit it will run with (its own, or the
 * instance's default): refused at the ulimits field when saved, not only when a deployment's
 * spec is checked (the engine refuses it there too). The rule is the engine's (memlockProblem).
 */
import { memlockProblem, type Ulimit } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { readStoredRuntime } from "./runtime-settings.ts";

const MIB = 1024 * 1024;

export function checkMemlock(
  input: { ulimits: readonly Ulimit[]; limits: { memoryMb: number | null } },
  settings: { defaultMemoryMb: number | null },
): void {
  const memoryMb = input.limits.memoryMb ?? settings.defaultMemoryMb;
  const problem = memlockProblem(input.ulimits, memoryMb === null ? undefined : memoryMb * MIB);
  if (problem !== null) throw invalidField("ulimits", `${problem} (set one under Resources, or ask the owner for a default)`);
}

/**
 * The instance owner clearing the default memory limit: refused while a service locks more than
 * 64 MiB with no memory limit of its own (its next deployment would be refused), naming them.
 */
export async function checkDefaultMemoryRemoval(db: Deps["db"]): Promise<void> {
  const services = await db.service.findMany({ select: { name: true, runtime: true, project: { select: { name: true } } } });
  const relying = services.filter((s) => {
    const runtime = readStoredRuntime(s.runtime);
    return runtime.limits.memoryMb === null && memlockProblem(runtime.ulimits, undefined) !== null;
  });
  if (relying.length === 0) return;
  const named = relying.slice(0, 3).map((s) => `${s.project.name}/${s.name}`);
  const more = relying.length > 3 ? ` and ${relying.length - 3} more` : "";
  throw invalidField(
    "defaultMemoryMb",
    `${named.join(", ")}${more} lock memory (memlock above 64 MiB) and have no memory limit of their own: give them one first`,
  );
}
