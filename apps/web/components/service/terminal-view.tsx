"use client";

import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import { getSocket } from "@/lib/socket";
import { openTerminalConnection } from "@/lib/terminal-connection";

export type TerminalPhase =
  { phase: "connecting" } | { phase: "open" } | { phase: "closed"; reason: string } | { phase: "error"; message: string };

/**
 * xterm.js bound to a shell in the service's container. Fits its box (and tells the server
 * the new size); Ctrl+Shift+C copies the selection, Ctrl+Shift+V or the browser's paste pastes;
 * Shift+Tab moves focus out (Tab itself goes to the shell).
 */
export function TerminalView({
  serviceId,
  taskId,
  onPhase,
}: {
  serviceId: string;
  /** A cluster service's task to open the shell in. */
  taskId?: string | undefined;
  onPhase: (p: TerminalPhase) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const phaseRef = useRef(onPhase);
  phaseRef.current = onPhase;

  useEffect(() => {
    let disposed = false;
    let cleanup = () => undefined as void;
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !box.current) return;
      const term = new Terminal({
        cursorBlink: true,
        fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
        fontSize: 13,
        convertEol: false,
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(box.current);
      fit.fit();
      term.attachCustomKeyEventHandler((e) => {
        // Tab completes in the shell; Shift+Tab is left to the browser, so the keyboard can leave the terminal.
        if (e.key === "Tab" && e.shiftKey && !e.ctrlKey && !e.altKey) return false;
        if (e.type !== "keydown" || !e.ctrlKey || !e.shiftKey) return true;
        if (e.code === "KeyC" && term.hasSelection()) {
          void navigator.clipboard.writeText(term.getSelection()).catch(() => term.write("\r\n[copy was blocked by the browser]\r\n"));
          return false;
        }
        return e.code !== "KeyV"; // the browser's paste event reaches xterm by itself
      });
      try {
        const conn = await openTerminalConnection(
          getSocket(),
          taskId ? { serviceId, taskId, cols: term.cols, rows: term.rows } : { serviceId, cols: term.cols, rows: term.rows },
          {
            onOutput: (data) => term.write(data),
            onExit: (reason) => {
              term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`);
              phaseRef.current({ phase: "closed", reason });
            },
          },
        );
        if (disposed) return conn.close();
        phaseRef.current({ phase: "open" });
        const input = term.onData((d) => conn.send(d));
        const resized = term.onResize(({ cols, rows }) => conn.resize(cols, rows));
        const observer = new ResizeObserver(() => fit.fit());
        observer.observe(box.current);
        term.focus();
        cleanup = () => {
          observer.disconnect();
          input.dispose();
          resized.dispose();
          conn.close();
          term.dispose();
        };
      } catch (err) {
        term.dispose();
        if (!disposed)
          phaseRef.current({ phase: "error", message: err instanceof Error ? err.message : "The terminal could not be opened" });
      }
    })();
    return () => {
      disposed = true;
      cleanup();
    };
  }, [serviceId, taskId]);

  return <div ref={box} role="region" aria-label="Terminal" data-testid="terminal" className="h-80 w-full overflow-hidden bg-black p-2" />;
}
