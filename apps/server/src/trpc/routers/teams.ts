import { z } from "zod";
import {
  changeMemberRole,
  createTeam,
  createTeamInput,
  leaveTeam,
  listMembers,
  removeMember,
  transferOwnership,
} from "../../teams/members.ts";
import { selfProcedure, teamProcedure } from "../procedures.ts";
import { router } from "../init.ts";

const memberInput = z.object({ userId: z.string().uuid("Unknown member") });

export const teamsRouter = router({
  create: selfProcedure.input(createTeamInput).mutation(({ ctx, input }) => createTeam(ctx.deps.db, ctx.actor, input)),
  members: teamProcedure("viewer").query(({ ctx, input }) => listMembers(ctx.deps.db, input.teamId)),
  changeRole: teamProcedure("admin")
    .input(memberInput.extend({ role: z.enum(["admin", "member", "viewer"], { message: "Role must be admin, member or viewer" }) }))
    .mutation(({ ctx, input }) =>
      changeMemberRole(ctx.deps.db, ctx.actor, { teamId: ctx.team.id, callerRole: ctx.team.role, userId: input.userId, role: input.role }),
    ),
  removeMember: teamProcedure("admin")
    .input(memberInput)
    .mutation(({ ctx, input }) =>
      removeMember(ctx.deps.db, ctx.actor, { teamId: ctx.team.id, callerRole: ctx.team.role, userId: input.userId }),
    ),
  leave: teamProcedure("viewer").mutation(({ ctx }) => leaveTeam(ctx.deps.db, ctx.actor, ctx.team.id)),
  transferOwnership: teamProcedure("owner")
    .input(memberInput)
    .mutation(({ ctx, input }) => transferOwnership(ctx.deps.db, ctx.actor, ctx.team.id, input.userId)),
});
