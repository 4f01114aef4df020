import { HydrationBoundary } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { DashboardShell } from "@/components/shell/dashboard-shell";
import { prefetchAccount, rememberedTeamId } from "@/lib/server-api";

/** Rendered per request: the frame's first HTML already holds the account (no request waterfall before it). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [state, teamId] = await Promise.all([prefetchAccount(), rememberedTeamId()]);
  return (
    <HydrationBoundary state={state}>
      <DashboardShell teamId={teamId}>{children}</DashboardShell>
    </HydrationBoundary>
  );
}
