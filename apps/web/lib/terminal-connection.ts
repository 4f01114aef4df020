import type { TerminalOpenAck, TerminalOutputPayload } from "@berth/server/realtime-events";
import type { BerthSocket } from "./socket";

export interface TerminalHandlers {
  onOutput: (data: string) => void;
  /** The terminal closed on the server side (shell exited, container stopped, access ended) or the connection dropped. */
  onExit: (reason: string) => void;
}

const OPEN_TIMEOUT_MS = 10_000;

/**
 * One web-terminal session over the tab's socket: `terminal:open` (authorized by the server),
 * then input/resize out and output/exit in. Resolves once the shell is running; rejects with
 * a sentence the user can act on.
 */
export async function openTerminalConnection(
  socket: BerthSocket,
  request: { serviceId: string; taskId?: string; cols: number; rows: number },
  handlers: TerminalHandlers,
): Promise<{ send: (data: string) => void; resize: (cols: number, rows: number) => void; close: () => void }> {
  if (!socket.connected) {
    socket.connect();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("Can't reach the server. Check your connection, then try again.")), OPEN_TIMEOUT_MS);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  // The shell's first output (its prompt) can arrive before the ack that names the terminal: keep it.
  const early: TerminalOutputPayload[] = [];
  const collect = (e: TerminalOutputPayload) => early.push(e);
  socket.on("terminal:output", collect);
  let ack: TerminalOpenAck;
  try {
    ack = await socket.timeout(OPEN_TIMEOUT_MS).emitWithAck("terminal:open", request);
  } catch {
    throw new Error("The server did not answer in time. Try again.");
  } finally {
    socket.off("terminal:output", collect);
  }
  if (!ack.ok) throw new Error(ack.error);
  const { terminalId } = ack;
  for (const e of early) if (e.terminalId === terminalId) handlers.onOutput(e.data);
  let open = true;
  const onOutput = (e: { terminalId: string; data: string }) => e.terminalId === terminalId && handlers.onOutput(e.data);
  const finish = (reason: string) => {
    if (!open) return;
    open = false;
    socket.off("terminal:output", onOutput);
    socket.off("terminal:exit", onExit);
    socket.off("disconnect", onDisconnect);
    handlers.onExit(reason);
  };
  const onExit = (e: { terminalId: string; reason: string }) => e.terminalId === terminalId && finish(e.reason);
  const onDisconnect = () => finish("The connection to the server was lost");
  socket.on("terminal:output", onOutput);
  socket.on("terminal:exit", onExit);
  socket.on("disconnect", onDisconnect);
  return {
    send: (data) => open && socket.emit("terminal:input", { terminalId, data }),
    resize: (cols, rows) => open && socket.emit("terminal:resize", { terminalId, cols, rows }),
    close: () => {
      if (open) socket.emit("terminal:close", { terminalId });
      finish("Closed");
    },
  };
}
