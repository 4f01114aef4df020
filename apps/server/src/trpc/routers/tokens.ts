import { z } from "zod";
import { createApiToken, createTokenInput, listApiTokens, revokeApiToken } from "../../tokens/api-tokens.ts";
import { tokenIdentity } from "../../tokens/token-identity.ts";
import { apiTokenProcedure, selfProcedure } from "../procedures.ts";
import { tokenIdentityOutput } from "../rest-outputs.ts";
import { router } from "../init.ts";

/** A user's own API tokens. Creating one also needs a role in its team (checked by the use case). */
export const tokensRouter = router({
  list: selfProcedure.query(({ ctx }) => listApiTokens(ctx.deps.db, ctx.actor)),
  create: selfProcedure.input(createTokenInput).mutation(({ ctx, input }) => createApiToken(ctx.deps.db, ctx.actor, input)),
  revoke: selfProcedure
    .input(z.object({ tokenId: z.string().uuid("Unknown token") }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.deps.db, ctx.actor, input.tokenId)),
  /** The calling token's team, scope and user (`berth login` checks a token with it). */
  current: apiTokenProcedure
    .meta({ openapi: { method: "GET", path: "/token", tags: ["token"], summary: "The calling token: its team, scope and user" } })
    .output(tokenIdentityOutput)
    .query(({ ctx }) => tokenIdentity(ctx.deps.db, ctx.actor, ctx.token)),
});
