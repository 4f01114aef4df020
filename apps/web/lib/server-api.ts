import { dehydrate, type DehydratedState, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cookies } from "next/headers";
import { cache } from "react";
import type { AppRouter } from "@berth/server/router";
import { chosenTeam, TEAM_COOKIE } from "./team-choice";

/** How long a page render waits for the control plane's answers before it renders without them. */
const TIMEOUT_MS = 5_000;

/**
 * Server components only. The dashboard's first data, asked from the control plane on loopback
 * with the viewer's own cookie (the same procedures and authorization as the browser's calls),
 * so the first HTML already holds it and the client starts with it in its query cache.
 * apps/server sets BERTH_INTERNAL_URL to its own address; without it (no control plane in this
 * process), pages render as before and the client asks for everything.
 * One per request (React's cache): the layout and the page share the answers.
 */
const serverApi = cache(async () => {
  const cookieHeader = (await cookies()).toString();
  const base = process.env.BERTH_INTERNAL_URL;
  if (!base || !cookieHeader) return null;
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        headers: { cookie: cookieHeader },
        fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
      }),
    ],
  });
  return { queryClient, trpc: createTRPCOptionsProxy<AppRouter>({ client, queryClient }) };
});

/** The signed-in account (null: signed out, or the call failed: the client asks again and handles it). */
async function fetchMe() {
  const api = await serverApi();
  if (!api) return null;
  return api.queryClient.fetchQuery(api.trpc.me.get.queryOptions()).catch(() => null);
}

/** The remembered team's id (the team switcher's cookie), if any. */
export async function rememberedTeamId(): Promise<string | null> {
  return (await cookies()).get(TEAM_COOKIE)?.value ?? null;
}

/** What the dashboard frame needs (the account): answered data only, to hand to the client. */
export async function prefetchAccount(): Promise<DehydratedState | null> {
  const api = await serverApi();
  if (!api) return null;
  await fetchMe();
  return dehydrate(api.queryClient);
}

/**
 * The account and the chosen team's overview. The remembered team's overview is asked in the same
 * request batch as the account; only a stale cookie (a team left since) costs a second round trip.
 */
export async function prefetchOverview(): Promise<DehydratedState | null> {
  const api = await serverApi();
  if (!api) return null;
  const remembered = await rememberedTeamId();
  const overview = (teamId: string) => api.queryClient.prefetchQuery(api.trpc.overview.team.queryOptions({ teamId }));
  const [me] = await Promise.all([fetchMe(), remembered ? overview(remembered) : null]);
  const team = me ? chosenTeam(me.teams, remembered) : undefined;
  if (team && team.id !== remembered) await overview(team.id);
  return dehydrate(api.queryClient);
}
