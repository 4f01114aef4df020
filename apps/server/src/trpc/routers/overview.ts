import { getTeamOverview } from "../../overview/overview.ts";
import { router } from "../init.ts";
import { teamProcedure } from "../procedures.ts";

export const overviewRouter = router({
  team: teamProcedure("viewer").query(({ ctx }) => getTeamOverview(ctx.deps, ctx.team)),
});
