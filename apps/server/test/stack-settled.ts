/** The stack once every one of its services is done or failed (the stack files' common wait). */
import type { Deps } from "../src/deps.ts";
import { getStack } from "../src/stacks/stack-view.ts";
import type { Actor } from "../src/teams/access.ts";
import { waitFor } from "./harness.ts";

export function stackSettled(deps: Deps, actor: Actor, stackId: string) {
  return waitFor(
    `stack ${stackId} to settle`,
    async () => {
      const stack = await getStack(deps, actor, stackId);
      return stack.services.every((s) => s.stackState === "done" || s.stackState === "failed") ? stack : null;
    },
    240_000,
  );
}
