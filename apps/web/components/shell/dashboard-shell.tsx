"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { isUnauthorized } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { Loading, QueryError } from "../ui/query-state";
import { SessionProvider } from "./session";
import { HealthBanner } from "./health-banner";
import { TopBar } from "./top-bar";

/** Loads the signed-in user (or leaves for /sign-in) and frames every dashboard page. */
export function DashboardShell({ chosenTeamId, children }: { chosenTeamId: string | null; children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  if (isUnauthorized(me.error) || (me.data === undefined && !me.isError)) {
    return (
      <div className="mx-auto max-w-6xl px-6">
        <Loading label={me.error ? "Redirecting to sign in…" : "Loading your account…"} />
      </div>
    );
  }
  // A failed background refresh keeps the account already loaded; only a first load can fail here.
  if (me.data === undefined) {
    return (
      <div className="mx-auto max-w-xl px-6 py-16">
        <QueryError error={me.error} onRetry={() => void me.refetch()} retrying={me.isFetching} what="your account" />
      </div>
    );
  }
  return (
    <SessionProvider me={me.data} chosenTeamId={chosenTeamId}>
      <a
        href="#main"
        className="sr-only rounded-md bg-surface px-3 py-2 text-sm font-medium text-fg focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:outline-2 focus:outline-focus"
      >
        Skip to content
      </a>
      <TopBar />
      <HealthBanner />
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl space-y-8 px-4 py-6 outline-none sm:px-6 sm:py-8">
        {children}
      </main>
    </SessionProvider>
  );
}
