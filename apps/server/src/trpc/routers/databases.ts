import { createDatabase, createDatabaseInput } from "../../databases/create-database.ts";
import { router } from "../init.ts";
import { projectProcedure } from "../procedures.ts";

export const databasesRouter = router({
  /** A PostgreSQL service with a volume and generated credentials, deployed at once by default. */
  create: projectProcedure("member").input(createDatabaseInput).mutation(({ ctx, input }) => createDatabase(ctx.deps, ctx.actor, input)),
});
