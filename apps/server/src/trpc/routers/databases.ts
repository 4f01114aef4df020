import { createDatabase, createDatabaseInput } from "../../databases/create-database.ts";
import { publicPortInput } from "../../databases/public-port-input.ts";
import { setDatabasePublicPort } from "../../databases/public-port.ts";
import { router } from "../init.ts";
import { projectProcedure, serviceProcedure } from "../procedures.ts";

export const databasesRouter = router({
  /** A PostgreSQL service with a volume and generated credentials, deployed at once by default. */
  create: projectProcedure("member")
    .input(createDatabaseInput)
    .mutation(({ ctx, input }) => createDatabase(ctx.deps, ctx.actor, input)),
  /** Publish the database's port on the host (127.0.0.1 or 0.0.0.0), or stop publishing it; applied by a redeploy. */
  setPublicPort: serviceProcedure("admin")
    .input(publicPortInput)
    .mutation(({ ctx, input }) => setDatabasePublicPort(ctx.deps, ctx.actor, input)),
});
