/**
 * Compiled by typecheck, never run or imported: each line below must stay a type error, so the
 * typed socket (lib/socket.ts) keeps refusing a misspelt event or a wrong payload. If one
 * compiles, `@ts-expect-error` itself fails the typecheck.
 */
import type { BerthSocket } from "./socket";

export function socketTypeCheck(socket: BerthSocket): void {
  // @ts-expect-error -- a misspelt event name
  socket.emit("log:subscribe", { serviceId: "s" }, () => undefined);
  // @ts-expect-error -- a payload missing its field
  socket.emit("logs:unsubscribe", { service: "s" });
  // @ts-expect-error -- an ack of the wrong shape
  socket.emit("terminal:open", { serviceId: "s" }, (reply: { terminalId: number }) => reply);
  // @ts-expect-error -- a listener for an event the server never sends
  socket.on("logs:line", () => undefined);
  // @ts-expect-error -- a listener expecting another payload
  socket.on("deployment:status", (e: { serviceId: number }) => e);
}
