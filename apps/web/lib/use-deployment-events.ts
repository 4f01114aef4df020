"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { getSocket } from "./socket";
import { useTRPC } from "./trpc";

/** Refetch the service and its deployments whenever the server says a deployment changed status. */
export function useDeploymentEvents(serviceId: string): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = getSocket();
    const watch = () => socket.emit("deployments:watch", { serviceId });
    const onStatus = (e: { serviceId: string }) => {
      if (e.serviceId !== serviceId) return;
      void queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey({ serviceId }) });
    };
    socket.on("connect", watch);
    socket.on("deployment:status", onStatus);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("deployment:status", onStatus);
    };
  }, [serviceId, queryClient, trpc]);
}
