import { auditFilterInput, listAudit } from "../../audit/list-audit.ts";
import { teamProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const auditRouter = router({
  list: teamProcedure("admin")
    .input(auditFilterInput)
    .query(({ ctx, input }) => listAudit(ctx.deps.db, input)),
});
