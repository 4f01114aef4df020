import type { ClientToServerEvents, ServerToClientEvents } from "@berth/server/realtime-events";
import { io, type Socket } from "socket.io-client";

/** The dashboard's socket, typed with the server's event maps: a misspelt event or payload fails typecheck. */
export type BerthSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: BerthSocket | null = null;

/** The one socket.io connection of this tab (same origin, session cookie), made on first use. */
export function getSocket(): BerthSocket {
  socket ??= io({ path: "/socket.io", withCredentials: true });
  return socket;
}

/** Drops the connection, e.g. on sign-out, so the next user gets a fresh, re-authenticated one. */
export function disconnectSocket(): void {
  socket?.disconnect();
  socket = null;
}
