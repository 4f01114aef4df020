import { dehydrate, QueryClient, type DehydratedState, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import type { RenderResult } from "@berth/server/render-queries";
import type { AppRouter } from "@berth/server/router";
import type { Me } from "./api-types";
import { makeTRPCClient } from "./query-client";
import { chooseTeam, TEAM_COOKIE } from "./team-choice";

// Server components only: a page's first data, asked of the control plane in the page request
// itself (apps/server/src/http/render-queries.ts) and handed to the browser's query cache through
// <HydrationBoundary>, so the page comes with its data instead of asking for it after its scripts.

/** Builds tRPC's query keys only; its client is never called here. */
const keys = createTRPCOptionsProxy<AppRouter>({ client: makeTRPCClient(), queryClient: new QueryClient() });
type Keys = typeof keys;

interface ServerData {
  state: DehydratedState;
  results: RenderResult[];
}

/** Runs the queries the keys name as the page's caller; null if the control plane is not in this process. */
async function runOnServer(queryKeys: QueryKey[]): Promise<ServerData | null> {
  const run = globalThis.__berthRenderQueries;
  if (!run) return null;
  const queries = queryKeys.map((key) => {
    // tRPC's key: [path segments, { input, type }].
    const [path, options] = key as [string[], { input?: unknown } | undefined];
    return { path: path.join("."), input: options?.input };
  });
  const results = await run(Object.fromEntries((await headers()).entries()), queries).catch((err: unknown) => {
    // The page still works: the browser asks for its data as it would without the server's.
    console.error("a page's first data could not be read on the server", err);
    return null;
  });
  if (!results) return null;
  const client = new QueryClient();
  results.forEach((result, i) => {
    if (result.ok) client.setQueryData(queryKeys[i] as QueryKey, result.data);
  });
  return { state: dehydrate(client), results };
}

export interface ServerAccount {
  /** me.get for the browser's cache; undefined when it could not be asked here (the browser asks). */
  state?: DehydratedState;
  me: Me | null;
  /** The session is gone: the page goes to /sign-in. */
  signedOut: boolean;
  /** The chosen team as the browser sent it (the cookie), not yet checked against the account's teams. */
  chosenTeamId: string | null;
}

/** The caller's account, once per page request (the layout and the page both ask). */
export const accountOnServer = cache(async (): Promise<ServerAccount> => {
  const chosenTeamId = (await cookies()).get(TEAM_COOKIE)?.value ?? null;
  const data = await runOnServer([keys.me.get.queryKey()]);
  const me = data?.results[0];
  return {
    state: data?.state,
    me: me?.ok ? (me.data as Me) : null,
    signedOut: me?.ok === false && me.code === "UNAUTHORIZED",
    chosenTeamId,
  };
});

/** The chosen team's first data for a page; undefined when there is none to give (the browser asks). */
export async function teamDataOnServer(keysOf: (trpc: Keys, teamId: string) => QueryKey[]): Promise<DehydratedState | undefined> {
  const account = await accountOnServer();
  const team = account.me ? chooseTeam(account.me.teams, account.chosenTeamId) : undefined;
  if (!team) return undefined;
  return (await runOnServer(keysOf(keys, team.id)))?.state;
}

/** A signed-in page's first data (queries that name their resource, not the team); undefined when there is none to give. */
export async function pageDataOnServer(keysOf: (trpc: Keys) => QueryKey[]): Promise<DehydratedState | undefined> {
  const account = await accountOnServer();
  if (!account.me) return undefined;
  return (await runOnServer(keysOf(keys)))?.state;
}
