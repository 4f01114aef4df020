import { getSettings, instanceFeatures, listUsers, settingsInput, signupStatus, updateSettings } from "../../instance/settings.ts";
import { instanceOwnerProcedure, publicProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const instanceRouter = router({
  signupStatus: publicProcedure.query(({ ctx }) => signupStatus(ctx.deps.db)),
  /** What the sign-in page may offer: password reset needs outgoing mail. */
  features: publicProcedure.query(({ ctx }) => instanceFeatures(ctx.deps)),
  settings: instanceOwnerProcedure.query(({ ctx }) => getSettings(ctx.deps.db)),
  updateSettings: instanceOwnerProcedure.input(settingsInput).mutation(({ ctx, input }) => updateSettings(ctx.deps.db, ctx.actor, input)),
  users: instanceOwnerProcedure.query(({ ctx }) => listUsers(ctx.deps.db)),
});
