"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { getSocket } from "@/lib/socket";
import { useTRPC } from "@/lib/trpc";

/** Refetch the team overview when the server says one of its services changed (debounced). */
export function useOverviewEvents(teamId: string): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const watch = () => socket.emit("overview:watch", { teamId });
    const onChanged = (e: { teamId: string }) => {
      if (e.teamId !== teamId || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: trpc.overview.team.queryKey({ teamId }) });
      }, 250);
    };
    socket.on("connect", watch);
    socket.on("overview:changed", onChanged);
    if (socket.connected) watch();
    return () => {
      if (timer) clearTimeout(timer);
      socket.off("connect", watch);
      socket.off("overview:changed", onChanged);
      socket.emit("overview:unwatch", { teamId });
    };
  }, [teamId, queryClient, trpc]);
}
