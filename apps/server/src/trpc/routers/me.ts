import { z } from "zod";
import { listSessions, revokeSession } from "../../account/sessions.ts";
import { getMe } from "../../teams/me.ts";
import { selfProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const meRouter = router({
  get: selfProcedure.query(({ ctx }) => getMe(ctx.deps.db, ctx.user)),
  sessions: selfProcedure.query(({ ctx }) => listSessions(ctx.deps.db, ctx.user.id, ctx.user.sessionId)),
  revokeSession: selfProcedure
    .input(z.object({ sessionId: z.string().uuid("Unknown session") }))
    .mutation(({ ctx, input }) => revokeSession(ctx.deps.db, ctx.actor, input.sessionId)),
});
