import { getSettings, instanceFeatures, listUsers, settingsInput, signupStatus, updateSettings } from "../../instance/settings.ts";
import { getDashboard, setDashboardDomain, setDashboardDomainInput } from "../../instance/dashboard-domain.ts";
import { instanceOwnerProcedure, publicProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const instanceRouter = router({
  signupStatus: publicProcedure.query(({ ctx }) => signupStatus(ctx.deps.db)),
  /** What the sign-in page may offer: password reset needs outgoing mail. */
  features: publicProcedure.query(({ ctx }) => instanceFeatures(ctx.deps)),
  settings: instanceOwnerProcedure.query(({ ctx }) => getSettings(ctx.deps.db)),
  updateSettings: instanceOwnerProcedure.input(settingsInput).mutation(({ ctx, input }) => updateSettings(ctx.deps.db, ctx.actor, input)),
  /** The dashboard's own domain (HTTPS through the edge proxy) and the URL its links use. */
  dashboard: instanceOwnerProcedure.query(({ ctx }) => getDashboard(ctx.deps)),
  setDashboardDomain: instanceOwnerProcedure
    .input(setDashboardDomainInput)
    .mutation(({ ctx, input }) => setDashboardDomain(ctx.deps, ctx.actor, input)),
  users: instanceOwnerProcedure.query(({ ctx }) => listUsers(ctx.deps.db)),
});
