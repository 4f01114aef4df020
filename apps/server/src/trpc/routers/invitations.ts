import { z } from "zod";
import {
  acceptInvitation,
  createInvitation,
  createInvitationInput,
  listInvitations,
  previewInvitation,
  revokeInvitation,
} from "../../teams/invitations.ts";
import { WindowLimiter } from "../../rate-limits/window-limiter.ts";
import { limitedPerAddress, publicProcedure, selfProcedure, teamProcedure } from "../procedures.ts";
import { router } from "../init.ts";
import { dashboardUrl } from "../../instance/dashboard-domain.ts";

/** Invitation links are secrets: 30 uses of them per address per 10 minutes. */
const linkAttempts = limitedPerAddress(new WindowLimiter({ name: "invitation-link", max: 30, windowMs: 10 * 60_000 }));
const secretInput = z.object({ token: z.string().min(1, "The invitation link is incomplete").max(200) });

export const invitationsRouter = router({
  create: teamProcedure("admin")
    .input(createInvitationInput)
    .mutation(async ({ ctx, input }) =>
      createInvitation(ctx.deps.db, ctx.actor, input, {
        publicUrl: await dashboardUrl(ctx.deps),
        callerRole: ctx.team.role,
        mailer: ctx.deps.mailer,
      }),
    ),
  list: teamProcedure("admin").query(({ ctx }) => listInvitations(ctx.deps.db, ctx.team.id)),
  revoke: teamProcedure("admin")
    .input(z.object({ invitationId: z.string().uuid("Unknown invitation") }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.deps.db, ctx.actor, ctx.team.id, input.invitationId)),
  /** The link's secret is the authorization: it shows only the team name, email and role. */
  preview: publicProcedure
    .use(linkAttempts)
    .input(secretInput)
    .query(({ ctx, input }) => previewInvitation(ctx.deps.db, input.token)),
  accept: selfProcedure
    .use(linkAttempts)
    .input(secretInput)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.deps.db, ctx.actor, input.token)),
});
