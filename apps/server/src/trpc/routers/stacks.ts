import { createStack } from "../../stacks/create-stack.ts";
import { deleteStack } from "../../stacks/delete-stack.ts";
import { deployStack } from "../../stacks/deploy-stack.ts";
import { createStackInput, deleteStackInput, updateStackInput } from "../../stacks/stack-input.ts";
import { getStack, listStacks } from "../../stacks/stack-view.ts";
import { planStackUpdate, updateStack } from "../../stacks/update-stack.ts";
import { rotateStackWebhook } from "../../stacks/stack-webhook.ts";
import { router } from "../init.ts";
import { projectProcedure, stackProcedure } from "../procedures.ts";

export const stacksRouter = router({
  /** Services from a compose file (pasted, or at a path of a git repository), created together (or not at all) and deployed in dependency order by default. */
  create: projectProcedure("member")
    .input(createStackInput)
    .mutation(({ ctx, input }) => createStack(ctx.deps, ctx.actor, input)),
  /** What re-importing the file would add, change and remove (nothing is written). */
  plan: stackProcedure("member")
    .input(updateStackInput)
    .mutation(({ ctx, input }) => planStackUpdate(ctx.deps, ctx.actor, input)),
  /** Re-import the file: added services created, changed ones updated and redeployed; removed ones only when listed in `remove`. */
  update: stackProcedure("member")
    .input(updateStackInput)
    .mutation(({ ctx, input }) => updateStack(ctx.deps, ctx.actor, input)),
  /** Delete the stack and its services; their volumes only with deleteVolumes. */
  delete: stackProcedure("member")
    .input(deleteStackInput)
    .mutation(({ ctx, input }) => deleteStack(ctx.deps, ctx.actor, input.stackId, input)),
  /** A new push-webhook secret for a git-sourced stack, shown once. */
  rotateWebhook: stackProcedure("member").mutation(({ ctx, input }) => rotateStackWebhook(ctx.deps, ctx.actor, input.stackId)),
  /** Deploy every service of the stack, each once its dependencies are up. */
  deploy: stackProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) => deployStack(ctx.deps, ctx.actor, input.stackId)),
  list: projectProcedure("viewer").query(({ ctx, input }) => listStacks(ctx.deps, ctx.actor, input.projectId)),
  get: stackProcedure("viewer").query(({ ctx, input }) => getStack(ctx.deps, ctx.actor, input.stackId)),
});
