import { createStack } from "../../stacks/create-stack.ts";
import { deployStack } from "../../stacks/deploy-stack.ts";
import { createStackInput } from "../../stacks/stack-input.ts";
import { getStack, listStacks } from "../../stacks/stack-view.ts";
import { router } from "../init.ts";
import { projectProcedure, stackProcedure } from "../procedures.ts";

export const stacksRouter = router({
  /** Services from a compose file, created together (or not at all) and deployed in dependency order by default. */
  create: projectProcedure("member").input(createStackInput).mutation(({ ctx, input }) => createStack(ctx.deps, ctx.actor, input)),
  /** Deploy every service of the stack, each once its dependencies are up. */
  deploy: stackProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) => deployStack(ctx.deps, ctx.actor, input.stackId)),
  list: projectProcedure("viewer").query(({ ctx, input }) => listStacks(ctx.deps, ctx.actor, input.projectId)),
  get: stackProcedure("viewer").query(({ ctx, input }) => getStack(ctx.deps, ctx.actor, input.stackId)),
});
