"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { useTRPC } from "@/lib/trpc";

const KEY = "berth.overview.teamId";

/** Remember which team's overview was shown, so the next load can ask for it at once. */
export function rememberOverviewTeam(teamId: string): void {
  try {
    window.localStorage.setItem(KEY, teamId);
  } catch {
    // storage disabled: the next load simply does not prefetch
  }
}

function rememberedTeam(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/**
 * On the dashboard home, asks for the last shown team's overview while the account is still
 * loading (same request batch), instead of after it: one round trip less before the overview.
 */
export function OverviewPrefetch() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  useEffect(() => {
    const teamId = pathname === "/" ? rememberedTeam() : null;
    if (teamId) void queryClient.prefetchQuery(trpc.overview.team.queryOptions({ teamId }));
    // Only at the first load of the dashboard (the layout stays mounted across pages).
  }, []);

  return null;
}
