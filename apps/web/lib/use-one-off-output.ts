"use client";

import { useEffect, useState } from "react";
import { getSocket } from "./socket";

export interface OneOffEnd {
  status: string;
  exitCode?: number | null;
  error?: string | null;
  durationMs?: number | null;
}

/**
 * A one-off run's output as it is written (`oneoff:follow`: the stored output from the start,
 * then every new piece; the server re-authorizes each read), and how it ended.
 */
export function useOneOffOutput(serviceId: string, runId: string | null): { text: string; end: OneOffEnd | null; error: string | null } {
  const [state, setState] = useState<{ text: string; next: number; end: OneOffEnd | null; error: string | null }>({
    text: "",
    next: 0,
    end: null,
    error: null,
  });
  useEffect(() => {
    setState({ text: "", next: 0, end: null, error: null });
    if (runId === null) return;
    const socket = getSocket();
    const onOutput = (p: { runId: string; offset: number; next: number; text: string }) => {
      if (p.runId !== runId) return;
      // Pieces arrive in order; one that does not start where the text ends is a repeat.
      setState((s) => (p.offset === s.next ? { ...s, text: s.text + p.text, next: p.next } : s));
    };
    const onEnd = (p: OneOffEnd & { runId: string }) => {
      if (p.runId === runId) setState((s) => ({ ...s, end: p }));
    };
    const follow = () =>
      socket.emit("oneoff:follow", { serviceId, runId, offset: 0 }, (ack: { ok: boolean; error?: string }) => {
        if (!ack.ok) setState((s) => ({ ...s, error: ack.error ?? "Could not follow the output" }));
      });
    socket.on("oneoff:output", onOutput);
    socket.on("oneoff:end", onEnd);
    // After a reconnect the follow starts again from the beginning (the text is rebuilt).
    const onConnect = () => {
      setState({ text: "", next: 0, end: null, error: null });
      follow();
    };
    socket.on("connect", onConnect);
    if (socket.connected) follow();
    return () => {
      socket.emit("oneoff:unfollow", { serviceId, runId });
      socket.off("oneoff:output", onOutput);
      socket.off("oneoff:end", onEnd);
      socket.off("connect", onConnect);
    };
  }, [serviceId, runId]);
  return { text: state.text, end: state.end, error: state.error };
}
