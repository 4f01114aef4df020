import { io, type Socket } from "socket.io-client";

let socket: Socket | null = null;

/** The one socket.io connection of this tab (same origin, session cookie), made on first use. */
export function getSocket(): Socket {
  socket ??= io({ path: "/socket.io", withCredentials: true });
  return socket;
}

/** Drops the connection, e.g. on sign-out, so the next user gets a fresh, re-authenticated one. */
export function disconnectSocket(): void {
  socket?.disconnect();
  socket = null;
}
