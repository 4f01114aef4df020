import { z } from "zod";
import { getSettings, signupStatus, updateSettings } from "../../instance/settings.ts";
import { authedProcedure, publicProcedure, router } from "../init.ts";

const settingsInput = z.object({
  signupOpen: z.boolean().optional(),
  buildConcurrency: z.coerce.number().int("A whole number").min(1, "At least 1").max(16, "At most 16").nullable().optional(),
  allowLocalSources: z.boolean().optional(),
  buildLogRetentionDays: z.coerce.number().int("A whole number of days").min(1, "At least 1 day").max(3650, "At most 3650 days").optional(),
});

export const instanceRouter = router({
  signupStatus: publicProcedure.query(({ ctx }) => signupStatus(ctx.deps.db)),
  settings: authedProcedure.query(({ ctx }) => getSettings(ctx.deps.db)),
  updateSettings: authedProcedure.input(settingsInput).mutation(({ ctx, input }) => updateSettings(ctx.deps.db, ctx.user, input)),
});
