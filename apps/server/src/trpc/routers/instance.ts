import { z } from "zod";
import { getSettings, signupStatus, updateSettings } from "../../instance/settings.ts";
import { authedProcedure, publicProcedure, router } from "../init.ts";

export const instanceRouter = router({
  signupStatus: publicProcedure.query(({ ctx }) => signupStatus(ctx.deps.db)),
  settings: authedProcedure.query(({ ctx }) => getSettings(ctx.deps.db)),
  updateSettings: authedProcedure
    .input(z.object({ signupOpen: z.boolean() }))
    .mutation(({ ctx, input }) => updateSettings(ctx.deps.db, ctx.user, input)),
});
