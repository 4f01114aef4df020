"use client";

import type { LogEndPayload, LogLinesPayload, SubscribeAck } from "@berth/server/realtime-events";
import { useEffect, useRef, useState } from "react";
import { unpackLogLines } from "@berth/server/log-lines-payload";
import { getSocket } from "./socket";
import { LogBuffer, type IncomingLogLine } from "./log-buffer";

export interface LogStreamState {
  phase: "connecting" | "live" | "waiting" | "error";
  message: string | null;
}

const FLUSH_MS = 100;
const ACK_TIMEOUT_MS = 10_000;
const RESUBSCRIBE_AFTER_END_MS = 1_000;
const RESUBSCRIBE_MAX_MS = 5_000;
/** Lines this long after a subscribe prove a healthy stream: the next end starts the back-off anew. */
const HEALTHY_STREAM_MS = 3_000;
const RETRY_MS = 3_000;

/**
 * Live runtime logs of one service over socket.io. Subscribes on every (re)connect,
 * re-subscribes ~1 s after `logs:end` (container stopped or replaced), de-duplicates the
 * replayed lines by time+text and batches renders. Unsubscribes on unmount.
 * While the service has no container the re-subscribe backs off to 5 s; a change of
 * `restartKey` (e.g. a new deployment or container state) re-subscribes at once.
 * `since` (unix seconds) asks for every line after that time first instead of the last 200;
 * changing it starts over with an empty buffer. `version` changes when lines were added.
 */
export function useLiveLogs(
  serviceId: string,
  restartKey = "",
  since?: number,
): { buffer: LogBuffer; version: number; stream: LogStreamState } {
  const [buffer, setBuffer] = useState(() => new LogBuffer());
  const [version, setVersion] = useState(0);
  const [stream, setStream] = useState<LogStreamState>({ phase: "connecting", message: null });
  const resubscribeRef = useRef<(() => void) | null>(null);
  const lastKeyRef = useRef(restartKey);

  useEffect(() => {
    if (lastKeyRef.current === restartKey) return;
    lastKeyRef.current = restartKey;
    resubscribeRef.current?.();
  }, [restartKey]);

  useEffect(() => {
    const socket = getSocket();
    const store = new LogBuffer();
    setBuffer(store);
    setVersion(0);
    let disposed = false;
    let pending: IncomingLogLine[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let endStreak = 0;
    let subscribedAt = 0;
    let live = false;
    const setPhase = (next: LogStreamState) => {
      live = next.phase === "live";
      setStream(next);
    };

    const flush = () => {
      flushTimer = null;
      const batch = pending;
      pending = [];
      if (store.append(batch) > 0) setVersion((v) => v + 1);
    };
    const retryLater = (ms: number, action: () => void) => {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (!disposed) action();
      }, ms);
    };
    const subscribe = () => {
      if (!socket.connected) return;
      subscribedAt = Date.now();
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit("logs:subscribe", since === undefined ? { serviceId } : { serviceId, since }, (err: Error | null, ack?: SubscribeAck) => {
          if (disposed) return;
          if (err || !ack) {
            setPhase({ phase: "error", message: "The log stream did not answer. Retrying…" });
            retryLater(RETRY_MS, subscribe);
          } else if (ack.ok) {
            setPhase({ phase: "live", message: null });
          } else {
            setPhase({ phase: "waiting", message: ack.error });
            retryLater(RETRY_MS, subscribe);
          }
        });
    };
    const onLines = (event: LogLinesPayload) => {
      if (event.serviceId !== serviceId) return;
      if (Date.now() - subscribedAt > HEALTHY_STREAM_MS) endStreak = 0;
      if (!live) setPhase({ phase: "live", message: null });
      for (const line of unpackLogLines(event)) pending.push(line);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    };
    const onEnd = (event: LogEndPayload) => {
      if (event.serviceId !== serviceId) return;
      setPhase({ phase: "waiting", message: `Log stream ended (${event.reason}). Waiting for the container…` });
      retryLater(Math.min(RESUBSCRIBE_AFTER_END_MS * 2 ** endStreak, RESUBSCRIBE_MAX_MS), subscribe);
      endStreak += 1;
    };
    const onDisconnect = () => setPhase({ phase: "connecting", message: "Connection lost. Reconnecting…" });
    const onConnectError = (err: Error) => {
      // Transport failures ("xhr poll error") mean nothing to people; a refusal ("Sign in to continue") does.
      const reason = /xhr|websocket|poll|transport|timeout/i.test(err.message) ? "" : ` (${err.message})`;
      setPhase({ phase: "error", message: `Can't connect to the live log stream${reason}. Retrying…` });
      // A refusal by the server's middleware is not retried by socket.io itself.
      if (!socket.active) retryLater(RETRY_MS, () => socket.connect());
    };

    socket.on("connect", subscribe);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on("logs:lines", onLines);
    socket.on("logs:end", onEnd);
    if (socket.connected) subscribe();
    else if (!socket.active) socket.connect();
    resubscribeRef.current = () => {
      endStreak = 0;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      subscribe();
    };

    return () => {
      disposed = true;
      resubscribeRef.current = null;
      if (flushTimer) clearTimeout(flushTimer);
      if (retryTimer) clearTimeout(retryTimer);
      socket.off("connect", subscribe);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.off("logs:lines", onLines);
      socket.off("logs:end", onEnd);
      if (socket.connected) socket.emit("logs:unsubscribe", { serviceId });
    };
  }, [serviceId, since]);

  return { buffer, version, stream };
}
