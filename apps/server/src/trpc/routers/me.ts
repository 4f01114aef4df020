import { getMe } from "../../teams/me.ts";
import { authedProcedure, router } from "../init.ts";

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => getMe(ctx.deps.db, ctx.user)),
});
