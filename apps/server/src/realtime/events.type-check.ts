/**
 * Compiled by typecheck, never run or imported: each line below must stay a type error, so the
 * typed gateway (events.ts) keeps refusing a misspelt event or a wrong payload. If one compiles,
 * `@ts-expect-error` itself fails the typecheck.
 */
import type { RealtimeServer, RealtimeSocket } from "./events.ts";

export function eventsTypeCheck(io: RealtimeServer, socket: RealtimeSocket): void {
  // @ts-expect-error -- a misspelt event name
  io.to("service:s").emit("deployment:statuses", { deploymentId: "d", serviceId: "s", status: "running" });
  // @ts-expect-error -- a payload missing its field
  socket.emit("logs:end", { serviceId: "s" });
  // @ts-expect-error -- a status that is not a deployment status
  socket.emit("build:end", { deploymentId: "d", status: "finished", lastSeq: 1 });
  // @ts-expect-error -- a handler for an event the client never sends
  socket.on("logs:subscribed", () => undefined);
}
