import type { RealtimeSocket } from "./events.ts";
import type { Auth } from "../auth/auth.ts";
import { userFromHeaders } from "../auth/session.ts";
import type { Deps } from "../deps.ts";
import { domainErrorOf } from "../domain-error-of.ts";
import { type Actor, loadDeployment, loadService } from "../teams/access.ts";
import type { SocketLogStreams } from "./log-streams.ts";
import type { SocketBuildLogs } from "./build-logs.ts";
import { revalidateOverviewRoom } from "./overview-rooms.ts";
import type { RecentChecks } from "./recent-checks.ts";

export const SERVICE_ROOM_PREFIX = "service:";
export const DEPLOYMENT_ROOM_PREFIX = "deployment:";

/**
 * Re-authorizes one socket: when its session is gone (signed out, revoked, expired) the socket
 * is disconnected; when the caller lost access to a service (removed from the team, team
 * deleted) its stream stops with `logs:end` and the socket leaves the room. Run periodically.
 */
export class SocketRevalidation {
  private running = false;

  constructor(
    private readonly opts: {
      socket: RealtimeSocket;
      deps: Deps;
      auth: Auth;
      actor: Actor;
      streams: SocketLogStreams;
      buildLogs: SocketBuildLogs;
      /** Shared with the process' other sockets: the same check within a moment is made once. */
      checks: RecentChecks;
    },
  ) {}

  /** Why the caller may no longer view this, or null while they still may. */
  private async denied(load: () => Promise<unknown>): Promise<string | null> {
    return load().then(
      () => null,
      (err: unknown) => {
        const domain = domainErrorOf(err);
        if (domain?.code === "NOT_FOUND" || domain?.code === "FORBIDDEN") return domain.message;
        throw err;
      },
    );
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.check();
    } catch (err) {
      // Database unreachable: keep the socket; the next run decides.
      this.opts.deps.log.warn({ err: String(err) }, "socket re-authorization postponed");
    } finally {
      this.running = false;
    }
  }

  private async check(): Promise<void> {
    const { socket, deps, auth, actor, streams, buildLogs, checks } = this.opts;
    const headers = socket.request.headers;
    const user = await checks.run(`session\n${headers.cookie ?? ""}\n${headers.authorization ?? ""}`, () => userFromHeaders(auth, headers));
    if (!user || user.id !== actor.userId) {
      streams.stopAll();
      buildLogs.stopAll();
      socket.emit("session:ended", { reason: "Your session has ended; sign in again" });
      socket.disconnect(true);
      return;
    }
    for (const room of socket.rooms) {
      if (room.startsWith(DEPLOYMENT_ROOM_PREFIX)) {
        const deploymentId = room.slice(DEPLOYMENT_ROOM_PREFIX.length);
        const denied = await this.denied(() => loadDeployment(deps.db, actor, deploymentId, "viewer"));
        if (denied === null) continue;
        buildLogs.stop(deploymentId);
        await socket.leave(room);
        socket.emit("build:end", { deploymentId, reason: `Access ended: ${denied}` });
        continue;
      }
      if (await revalidateOverviewRoom({ socket, deps, actor, user, room, denied: (load) => this.denied(load) })) continue;
      if (!room.startsWith(SERVICE_ROOM_PREFIX)) continue;
      const serviceId = room.slice(SERVICE_ROOM_PREFIX.length);
      const denied = await checks.run(`service\n${actor.userId}\n${serviceId}`, () =>
        this.denied(() => loadService(deps.db, actor, serviceId, "viewer")),
      );
      if (denied === null) continue;
      streams.stop(serviceId);
      await socket.leave(room);
      socket.emit("logs:end", { serviceId, reason: `Access ended: ${denied}` });
    }
  }
}
