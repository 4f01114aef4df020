import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { z } from "zod";
import type { Auth } from "../auth/auth.ts";
import { userFromHeaders } from "../auth/session.ts";
import type { Deps } from "../deps.ts";
import { loadService } from "../teams/access.ts";
import { roomLogHub, SocketLogStreams } from "./log-streams.ts";
import { SocketBuildLogs } from "./build-logs.ts";
import { loadDeploymentForViewer } from "../deployments/deployment-log.ts";
import { isTrustedRequest } from "../auth/trusted-origins.ts";
import { SERVICE_ROOM_PREFIX, SocketRevalidation } from "./revalidate.ts";
import { forwardOverviewEvents, registerOverviewHandlers } from "./overview-rooms.ts";
import { attachTerminals } from "./terminal-events.ts";
import { RecentChecks } from "./recent-checks.ts";
import { SocketOneOffOutput } from "./one-off-output.ts";
import type { ClientToServerEvents, InterServerEvents, RealtimeServer, ServerToClientEvents, SocketData, SubscribeAck } from "./events.ts";

const subscribeInput = z.object({ serviceId: z.string().uuid() });
/** `since`: unix seconds; the history sent first is every line after it instead of the last 200. */
const logsSubscribeInput = subscribeInput.extend({ since: z.number().int().positive().optional() });

/** Every event that joins a room, with the resource its payload names (the authorization matrix walks this). */
export const ROOM_EVENTS = {
  "logs:subscribe": "service",
  "deployments:watch": "service",
  "build:subscribe": "deployment",
  "overview:watch": "team",
  "metrics:watch": "service",
  "host:watch": "instance",
  "terminal:open": "service",
  "oneoff:follow": "service",
} as const satisfies Partial<Record<keyof ClientToServerEvents, string>>;
/** The service is authorized before the rest is read, so a foreign service id is refused as such. */
const oneOffFollowInput = z.object({ runId: z.string().uuid(), offset: z.number().int().min(0).default(0) });
const buildSubscribeInput = z.object({ deploymentId: z.string().uuid(), afterSeq: z.number().int().min(-1).default(-1) });
type Ack = (reply: SubscribeAck) => void;

/**
 * socket.io on the control plane's HTTP server. Connections need a signed-in session and a
 * handshake from a trusted origin (auth/trusted-origins.ts); every subscription is authorized against the caller's team.
 */
export interface RealtimeOptions {
  /** How often each socket's session and rooms are re-authorized (removed members, revoked sessions). */
  revalidateMs?: number;
}

export function attachRealtime(httpServer: HttpServer, deps: Deps, auth: Auth, options: RealtimeOptions = {}): RealtimeServer {
  const revalidateMs = options.revalidateMs ?? 2000;
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    allowRequest: (req, callback) =>
      void isTrustedRequest(deps, req).then(
        (ok) => callback(null, ok),
        () => callback(null, false),
      ),
  });

  io.use((socket, next) => {
    userFromHeaders(auth, socket.request.headers)
      .then((user) => {
        if (!user) return next(new Error("Sign in to continue"));
        socket.data.user = user;
        next();
      })
      .catch((err: unknown) => next(err instanceof Error ? err : new Error(String(err))));
  });

  // Every deployment status change goes to the sockets watching its service.
  deps.events.onStatus(({ deploymentId, serviceId, status }) =>
    io.to(`service:${serviceId}`).emit("deployment:status", { deploymentId, serviceId, status }),
  );
  // Overview changes and live metrics go to the team / metrics / host rooms.
  forwardOverviewEvents(io, deps);
  // One engine log stream per followed container in this process, its batches sent to a room.
  const logHub = roomLogHub(io, deps);
  const checks = new RecentChecks(revalidateMs / 2);

  io.on("connection", (socket) => {
    const user = socket.data.user;
    const actor = { userId: user.id, instanceRole: user.instanceRole };
    const streams = new SocketLogStreams(socket, logHub);
    const buildLogs = new SocketBuildLogs(socket, deps);
    const revalidate = new SocketRevalidation({ socket, deps, auth, actor, streams, buildLogs, checks });
    const terminals = attachTerminals({ socket, deps, user });
    const timer = setInterval(() => {
      void revalidate.run();
      terminals.revalidate().catch((err: unknown) => deps.log.warn({ err: String(err) }, "terminal re-authorization postponed"));
    }, revalidateMs);
    timer.unref();
    registerOverviewHandlers(socket, deps, actor);
    const oneOffs = new SocketOneOffOutput(socket, deps, actor);

    socket.on("oneoff:follow", async (payload: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === "function" ? ack : () => undefined;
      const service = subscribeInput.safeParse(payload);
      if (!service.success) return reply({ ok: false, error: "serviceId must be a service id" });
      try {
        await loadService(deps.db, actor, service.data.serviceId, "viewer");
      } catch (err) {
        return reply({ ok: false, error: err instanceof Error ? err.message : "Subscription failed" });
      }
      const parsed = oneOffFollowInput.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: "runId must be a run id and offset a number" });
      reply({ ok: true });
      oneOffs.follow(service.data.serviceId, parsed.data.runId, parsed.data.offset);
    });

    socket.on("oneoff:unfollow", (payload: unknown) => {
      const parsed = oneOffFollowInput.safeParse(payload);
      if (parsed.success) oneOffs.stop(parsed.data.runId);
    });

    socket.on("deployments:watch", async (payload: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === "function" ? ack : () => undefined;
      const parsed = subscribeInput.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: "serviceId must be a service id" });
      try {
        await loadService(deps.db, actor, parsed.data.serviceId, "viewer");
        await socket.join(`service:${parsed.data.serviceId}`);
        reply({ ok: true });
      } catch (err) {
        reply({ ok: false, error: err instanceof Error ? err.message : "Subscription failed" });
      }
    });

    socket.on("build:subscribe", async (payload: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === "function" ? ack : () => undefined;
      const parsed = buildSubscribeInput.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: "deploymentId must be a deployment id and afterSeq a number" });
      const { deploymentId, afterSeq } = parsed.data;
      try {
        await loadDeploymentForViewer(deps.db, actor, deploymentId);
        await socket.join(`deployment:${deploymentId}`);
        reply({ ok: true });
        await buildLogs.follow(deploymentId, afterSeq);
      } catch (err) {
        deps.log.debug({ deploymentId, err: String(err) }, "build log subscription refused");
        reply({ ok: false, error: err instanceof Error ? err.message : "Subscription failed" });
      }
    });

    socket.on("build:unsubscribe", (payload: unknown) => {
      const parsed = buildSubscribeInput.safeParse(payload);
      if (!parsed.success) return;
      buildLogs.stop(parsed.data.deploymentId);
      void socket.leave(`deployment:${parsed.data.deploymentId}`);
    });

    socket.on("logs:subscribe", async (payload: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === "function" ? ack : () => undefined;
      const parsed = logsSubscribeInput.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: "serviceId must be a service id and since a time in unix seconds" });
      const { serviceId, since } = parsed.data;
      try {
        const { service } = await loadService(deps.db, actor, serviceId, "viewer");
        await socket.join(`${SERVICE_ROOM_PREFIX}${serviceId}`);
        // Acknowledged once the stream is attached: a line written after the ack is never
        // missed (before, lines of a busy engine's attach delay were only covered by the tail).
        await streams.follow(service, { since });
        reply({ ok: true });
      } catch (err) {
        deps.log.debug({ serviceId, err: String(err) }, "log subscription refused");
        reply({ ok: false, error: err instanceof Error ? err.message : "Subscription failed" });
      }
    });

    socket.on("logs:unsubscribe", (payload: unknown) => {
      const parsed = subscribeInput.safeParse(payload);
      if (!parsed.success) return;
      streams.stop(parsed.data.serviceId);
      void socket.leave(`${SERVICE_ROOM_PREFIX}${parsed.data.serviceId}`);
    });

    socket.on("disconnect", () => {
      clearInterval(timer);
      terminals.closeAll("The connection closed");
      streams.stopAll();
      buildLogs.stopAll();
      oneOffs.stopAll();
    });
  });

  return io;
}
