"use client";

import { useEffect, useState } from "react";
import { mergePoints, type MetricPointView } from "@/lib/metrics";
import { getSocket } from "@/lib/socket";

/**
 * Stored history (from a query) plus live samples over socket.io, merged and kept to the last
 * hour: a service's (`serviceId`) or the host's (null; instance owner). Re-subscribes after a reconnect.
 */
export function useLiveMetrics(serviceId: string | null, history: MetricPointView[] | undefined): MetricPointView[] {
  const [live, setLive] = useState<MetricPointView[]>([]);
  useEffect(() => {
    const socket = getSocket();
    const watch = () => (serviceId === null ? socket.emit("host:watch", {}) : socket.emit("metrics:watch", { serviceId }));
    const onService = (e: { serviceId: string; point: MetricPointView }) => {
      if (serviceId !== null && e.serviceId === serviceId) setLive((prev) => mergePoints(prev, [e.point]));
    };
    const onHost = (point: MetricPointView) => {
      if (serviceId === null) setLive((prev) => mergePoints(prev, [point]));
    };
    socket.on("connect", watch);
    socket.on("metrics:sample", onService);
    socket.on("host:sample", onHost);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("metrics:sample", onService);
      socket.off("host:sample", onHost);
      if (serviceId === null) socket.emit("host:unwatch");
      else socket.emit("metrics:unwatch", { serviceId });
    };
  }, [serviceId]);
  return mergePoints(history ?? [], live);
}
