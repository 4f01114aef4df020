"use client";

import type { SubscribeAck } from "@berth/server/realtime-events";
import { useEffect, useMemo, useState } from "react";
import { BuildLogStore, type BuildLogLine } from "./build-log-store";
import { buildEndMessage, type BuildEndEvent } from "./build-end";
import { getSocket } from "./socket";

export interface BuildLogState {
  phase: "connecting" | "live" | "ended" | "error";
  message: string | null;
}

const FLUSH_MS = 100;

/**
 * The build log of one deployment over socket.io. On every (re)connect it subscribes with
 * the last seq it holds, so the server resumes exactly after it (no gap, no duplicate).
 * Renders are batched; `version` changes when lines were added.
 */
export function useBuildLog(deploymentId: string | null): { store: BuildLogStore; version: number; state: BuildLogState } {
  const store = useMemo(() => new BuildLogStore(deploymentId), [deploymentId]);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<BuildLogState>({ phase: "connecting", message: null });

  useEffect(() => {
    if (!deploymentId) return;
    const socket = getSocket();
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      timer = null;
      setVersion((v) => v + 1);
    };
    const subscribe = () => {
      if (!socket.connected) return;
      socket.timeout(10_000).emit("build:subscribe", { deploymentId, afterSeq: store.lastSeq }, (err: Error | null, ack?: SubscribeAck) => {
        if (disposed) return;
        if (err || !ack) setState({ phase: "error", message: "The build log did not answer. Retrying on reconnect…" });
        else if (!ack.ok) setState({ phase: "error", message: ack.error });
        else setState((s) => (s.phase === "ended" ? s : { phase: "live", message: null }));
      });
    };
    const onLines = (e: { deploymentId: string; lines: BuildLogLine[] }) => {
      if (e.deploymentId !== deploymentId) return;
      if (store.append(e.lines) > 0) timer ??= setTimeout(bump, FLUSH_MS);
    };
    const onEnd = (e: BuildEndEvent) => {
      if (e.deploymentId === deploymentId) setState({ phase: "ended", message: buildEndMessage(e) });
    };
    const onDisconnect = () => setState({ phase: "connecting", message: "Connection lost. Reconnecting…" });
    socket.on("connect", subscribe);
    socket.on("disconnect", onDisconnect);
    socket.on("build:lines", onLines);
    socket.on("build:end", onEnd);
    if (socket.connected) subscribe();
    else if (!socket.active) socket.connect();
    return () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      socket.off("connect", subscribe);
      socket.off("disconnect", onDisconnect);
      socket.off("build:lines", onLines);
      socket.off("build:end", onEnd);
      if (socket.connected) socket.emit("build:unsubscribe", { deploymentId });
    };
  }, [deploymentId, store]);

  return { store, version, state };
}
