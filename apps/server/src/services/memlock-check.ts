/**
 * A service's memlock ulimit against the memory limit it will run with (its own, or the
 * instance's default): refused at the ulimits field when saved, not only when a deployment's
 * spec is checked (the engine refuses it there too). The rule is the engine's (memlockProblem).
 */
import { memlockProblem, type Ulimit } from "@berth/engine";
import { invalidField } from "../errors.ts";

const MIB = 1024 * 1024;

export function checkMemlock(
  input: { ulimits: readonly Ulimit[]; limits: { memoryMb: number | null } },
  settings: { defaultMemoryMb: number | null },
): void {
  const memoryMb = input.limits.memoryMb ?? settings.defaultMemoryMb;
  const problem = memlockProblem(input.ulimits, memoryMb === null ? undefined : memoryMb * MIB);
  if (problem !== null) throw invalidField("ulimits", `${problem} (set one under Resources, or ask the owner for a default)`);
}
