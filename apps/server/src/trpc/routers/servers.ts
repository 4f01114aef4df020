import { addServerInput, serverIdInput } from "../../servers/server-input.ts";
import { addServer, checkServerNow, listServers, removeServer } from "../../servers/servers.ts";
import { instanceOwnerProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** The Docker Engines Berth reaches (instance owner only); keys never leave the server. */
export const serversRouter = router({
  list: instanceOwnerProcedure.query(({ ctx }) => listServers(ctx.deps)),
  /** Adds, then checks at once: the answer carries the first state (and the SSH public key). */
  add: instanceOwnerProcedure.input(addServerInput).mutation(({ ctx, input }) => addServer(ctx.deps, ctx.actor, input)),
  check: instanceOwnerProcedure.input(serverIdInput).mutation(({ ctx, input }) => checkServerNow(ctx.deps, input.serverId)),
  /** A cluster node is drained and leaves the swarm first. */
  remove: instanceOwnerProcedure.input(serverIdInput).mutation(({ ctx, input }) => removeServer(ctx.deps, ctx.actor, input.serverId)),
});
