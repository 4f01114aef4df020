/**
 * Live overview and metrics over socket.io. Rooms: `team:<teamId>` (viewer+ in the team) gets
 * `overview:changed` when a service of the team changes (deployment status, container start,
 * death, OOM); `metrics:<serviceId>` (viewer+) gets `metrics:sample` every sampler tick;
 * `host` (the instance owner) gets `host:sample`. Joins are authorized like every room and
 * re-authorized with the others (revalidate.ts).
 */
import { z } from "zod";
import type { SessionUser } from "../auth/session.ts";
import type { Deps } from "../deps.ts";
import { type Actor, loadService, requireTeamRole } from "../teams/access.ts";
import type { RealtimeServer, RealtimeSocket, SubscribeAck } from "./events.ts";

export const TEAM_ROOM_PREFIX = "team:";
export const METRICS_ROOM_PREFIX = "metrics:";
export const HOST_ROOM = "host";
export const NOT_INSTANCE_OWNER = "Only the instance owner can do this";

type Ack = (reply: SubscribeAck) => void;
const teamInput = z.object({ teamId: z.string().uuid() });
const serviceInput = z.object({ serviceId: z.string().uuid() });

/** Fan the in-process events out to the rooms. Returns a function that stops forwarding. */
export function forwardOverviewEvents(io: RealtimeServer, deps: Deps): () => void {
  const changed = (teamId: string, serviceId: string) =>
    io.to(`${TEAM_ROOM_PREFIX}${teamId}`).emit("overview:changed", { teamId, serviceId });
  const stops = [
    deps.events.onStatus((e) => changed(e.teamId, e.serviceId)),
    deps.engineWatch?.onChange((c) => changed(c.teamId, c.serviceId)),
    deps.metrics?.onService((e) =>
      io.to(`${METRICS_ROOM_PREFIX}${e.serviceId}`).emit("metrics:sample", { serviceId: e.serviceId, point: e.point }),
    ),
    deps.metrics?.onHost((point) => io.to(HOST_ROOM).emit("host:sample", point)),
  ];
  return () => stops.forEach((stop) => stop?.());
}

/** The room-joining events of this module (each answers with a SubscribeAck). */
type WatchEvent = "overview:watch" | "metrics:watch" | "host:watch";

function handle(socket: RealtimeSocket, event: WatchEvent, join: (payload: unknown) => Promise<string>, deps: Deps): void {
  socket.on(event, async (payload: unknown, ack?: Ack) => {
    const reply: Ack = typeof ack === "function" ? ack : () => undefined;
    try {
      await socket.join(await join(payload));
      reply({ ok: true });
    } catch (err) {
      deps.log.debug({ event, err: String(err) }, "subscription refused");
      reply({ ok: false, error: err instanceof Error ? err.message : "Subscription failed" });
    }
  });
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, message: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Error(message);
  return parsed.data;
}

export function registerOverviewHandlers(socket: RealtimeSocket, deps: Deps, actor: Actor): void {
  handle(
    socket,
    "overview:watch",
    async (payload) => {
      const { teamId } = parse(teamInput, payload, "teamId must be a team id");
      await requireTeamRole(deps.db, actor, teamId, "viewer");
      return `${TEAM_ROOM_PREFIX}${teamId}`;
    },
    deps,
  );
  handle(
    socket,
    "metrics:watch",
    async (payload) => {
      const { serviceId } = parse(serviceInput, payload, "serviceId must be a service id");
      await loadService(deps.db, actor, serviceId, "viewer");
      return `${METRICS_ROOM_PREFIX}${serviceId}`;
    },
    deps,
  );
  handle(
    socket,
    "host:watch",
    async () => {
      if (actor.instanceRole !== "owner") throw new Error(NOT_INSTANCE_OWNER);
      return HOST_ROOM;
    },
    deps,
  );
  socket.on("overview:unwatch", (payload: unknown) => {
    const parsed = teamInput.safeParse(payload);
    if (parsed.success) void socket.leave(`${TEAM_ROOM_PREFIX}${parsed.data.teamId}`);
  });
  socket.on("metrics:unwatch", (payload: unknown) => {
    const parsed = serviceInput.safeParse(payload);
    if (parsed.success) void socket.leave(`${METRICS_ROOM_PREFIX}${parsed.data.serviceId}`);
  });
  socket.on("host:unwatch", () => void socket.leave(HOST_ROOM));
}

/**
 * Re-authorize one of this module's rooms; false when the room is not one of them. A caller
 * who lost access leaves the room (no further samples or changes).
 */
export async function revalidateOverviewRoom(opts: {
  socket: RealtimeSocket;
  deps: Deps;
  actor: Actor;
  user: SessionUser;
  room: string;
  denied: (load: () => Promise<unknown>) => Promise<string | null>;
}): Promise<boolean> {
  const { socket, deps, actor, user, room, denied } = opts;
  let reason: string | null;
  if (room === HOST_ROOM) reason = user.instanceRole === "owner" ? null : NOT_INSTANCE_OWNER;
  else if (room.startsWith(TEAM_ROOM_PREFIX))
    reason = await denied(() => requireTeamRole(deps.db, actor, room.slice(TEAM_ROOM_PREFIX.length), "viewer"));
  else if (room.startsWith(METRICS_ROOM_PREFIX))
    reason = await denied(() => loadService(deps.db, actor, room.slice(METRICS_ROOM_PREFIX.length), "viewer"));
  else return false;
  if (reason !== null) {
    await socket.leave(room);
    socket.emit("watch:end", { room, reason: `Access ended: ${reason}` });
  }
  return true;
}
