import type { LogLine } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { redact } from "../secrets/redaction.ts";
import { HistoryBoundary, HistoryEdges } from "./log-boundary.ts";
import { findLiveContainerAndEngine } from "./live-container.ts";
import { logRedactionNeedles } from "./runtime-logs.ts";
import type { FollowedService, LogFollower, LogTarget, ServiceLogLine } from "./log-follower.ts";
import { followTasks } from "./task-log-follow.ts";

export type { FollowedService, LogFollower, LogTarget, ServiceLogLine } from "./log-follower.ts";

type HubDeps = Pick<Deps, "db" | "engine" | "box" | "log">;

/** History sent when the viewer asks for everything since a time (the client keeps at most 100k). */
const MAX_SINCE_LINES = 100_000;
/**
 * Shortest time between two live batches of one stream. A flood leaves in about a hundred
 * messages a second instead of one per engine chunk (thousands: each is an encoding and a socket
 * write per viewer); a line after a quiet spell still leaves at once.
 */
const BATCH_INTERVAL_MS = 10;

/** Sends one batch to every follower that went live on a stream (encoded once by the transport). */
export type LogBroadcast = (streamKey: string, serviceId: string, lines: ServiceLogLine[]) => void;

interface Member {
  follower: LogFollower;
  /** `history`: reading its history, live batches buffered; `catching-up`: batches filtered and sent to it alone. */
  state: "history" | "catching-up" | "live";
  buffered: ServiceLogLine[];
  boundary?: HistoryBoundary;
  /** The stream ended while the history was read: told once the history is out. */
  endReason?: string;
}

/** One engine log stream of one container, shared by every follower of it in this process. */
interface SharedStream {
  target: LogTarget;
  serviceId: string;
  /** The service's secret values as they were when the stream opened (see logRedactionNeedles), loaded once per stream. */
  needles: string[];
  members: Set<Member>;
  pending: ServiceLogLine[];
  scheduled: boolean;
  /** When the last batch left (performance.now()). */
  flushedAt: number;
  ended: boolean;
  stop: () => void;
}

/**
 * The runtime-log fan-out of this process: ONE engine log stream per container however many
 * viewers follow it. Each line is parsed and its secrets redacted once; lines that arrive
 * together (one engine chunk, or a flood's lines within BATCH_INTERVAL_MS) leave as one batch,
 * broadcast once to every follower that is live. A new follower gets its own history (the last
 * 200 lines, or every line since a time), stitched to the shared stream by `HistoryBoundary`,
 * then joins the broadcast. The engine stream closes when its last follower leaves; when it ends
 * by itself (the container stopped or was replaced) every follower gets `end`. Callers authorize
 * the viewer before `follow`.
 */
export class ServiceLogHub {
  private readonly streams = new Map<string, { stream: SharedStream; ready: Promise<void> }>();

  constructor(
    private readonly deps: HubDeps,
    private readonly broadcast: LogBroadcast,
  ) {}

  /**
   * Follow the service's live container (a cluster service: every running task's, see
   * task-log-follow.ts). Resolves once the follower is attached to the live stream (a line
   * written after that is never missed; its history follows asynchronously), with a function
   * that detaches it; null when the service has no running container.
   */
  async follow(service: FollowedService, options: { since?: number | undefined }, follower: LogFollower): Promise<(() => void) | null> {
    if (service.placement === "cluster") {
      return followTasks((target, member) => this.attach(target, service, options, member), this.deps, service.id, follower);
    }
    const live = await findLiveContainerAndEngine(this.deps, service);
    if (!live) return null;
    const { containerId } = live.container;
    return this.attach({ key: containerId, containerId, engine: live.engine }, service, options, follower);
  }

  /** Attach a follower to one container's shared stream (opened if it is the first). */
  private async attach(
    target: LogTarget,
    service: FollowedService,
    options: { since?: number | undefined },
    follower: LogFollower,
  ): Promise<() => void> {
    const { stream, ready } = this.streamOf(target, service);
    // A member from the start: a follower leaving meanwhile does not close the stream under it.
    const member: Member = { follower, state: "history", buffered: [] };
    stream.members.add(member);
    try {
      await ready;
    } catch (err) {
      this.leave(stream, member);
      throw err;
    }
    if (stream.ended && stream.members.delete(member)) {
      follower.end(member.endReason ?? "The container stopped");
      return () => undefined;
    }
    void this.sendHistory(stream, member, options);
    return () => this.leave(stream, member);
  }

  private streamOf(target: LogTarget, service: FollowedService): { stream: SharedStream; ready: Promise<void> } {
    const existing = this.streams.get(target.key);
    if (existing) return existing;
    const stream: SharedStream = {
      target,
      serviceId: service.id,
      needles: [],
      members: new Set(),
      pending: [],
      scheduled: false,
      flushedAt: 0,
      ended: false,
      stop: () => undefined,
    };
    const entry = { stream, ready: this.open(stream, service) };
    this.streams.set(target.key, entry);
    entry.ready.catch(() => {
      stream.ended = true;
      this.forget(stream);
    });
    return entry;
  }

  /** The service's secrets first (every line is redacted with them), then the engine stream. */
  private async open(stream: SharedStream, service: FollowedService): Promise<void> {
    stream.needles = await logRedactionNeedles(this.deps, service);
    const flush = () => this.flush(stream);
    // tail 0: only what is written from now on; each follower reads its own history.
    const stop = await stream.target.engine.followLogs(
      stream.target.containerId,
      { tail: 0 },
      (line) => {
        stream.pending.push(this.redacted(stream, line));
        if (!stream.scheduled) {
          stream.scheduled = true;
          const wait = stream.flushedAt + BATCH_INTERVAL_MS - performance.now();
          if (wait > 0) setTimeout(flush, wait);
          else setImmediate(flush);
        }
      },
      (err) => this.ended(stream, err),
    );
    stream.stop = stop;
    // Every follower left while the stream was being attached (leave() found nothing to stop).
    if (stream.ended) stop();
  }

  private redacted(stream: SharedStream, line: LogLine): ServiceLogLine {
    const task = stream.target.task;
    const tagged: ServiceLogLine = task ? { ...line, task: task.label, taskId: task.id } : line;
    return stream.needles.length > 0 ? { ...tagged, text: redact(line.text, stream.needles) } : tagged;
  }

  /** One batch: broadcast once to the live followers, then handed to each follower still joining. */
  private flush(stream: SharedStream): void {
    stream.scheduled = false;
    stream.flushedAt = performance.now();
    const lines = stream.pending;
    stream.pending = [];
    if (lines.length === 0) return;
    // Broadcast first: a follower that goes live below (in catchUp) has this batch already.
    for (const member of stream.members)
      if (member.state === "live") {
        this.broadcast(stream.target.key, stream.serviceId, lines);
        break;
      }
    for (const member of stream.members) {
      if (member.state === "history") for (const line of lines) member.buffered.push(line);
      else if (member.state === "catching-up") this.catchUp(stream, member, lines);
    }
  }

  /** Live lines for a follower past its history; once past the boundary it joins the broadcast. */
  private catchUp(stream: SharedStream, member: Member, lines: ServiceLogLine[]): void {
    const fresh = member.boundary!.admit(lines);
    if (fresh.length > 0) member.follower.lines(fresh);
    if (!member.boundary!.passed) return;
    member.state = "live";
    member.boundary = undefined;
    member.follower.live(stream.target.key);
  }

  private async sendHistory(stream: SharedStream, member: Member, options: { since?: number | undefined }): Promise<void> {
    let edges: ServiceLogLine[];
    try {
      edges = await this.readHistory(stream, member, options);
    } catch (err) {
      if (!stream.members.has(member)) return;
      this.leave(stream, member);
      member.follower.end(member.endReason ?? `Log stream failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!stream.members.has(member)) return;
    member.boundary = new HistoryBoundary(edges);
    member.state = "catching-up";
    const buffered = member.buffered;
    member.buffered = [];
    this.catchUp(stream, member, buffered);
    if (member.endReason !== undefined) {
      stream.members.delete(member);
      member.follower.end(member.endReason);
    }
  }

  /**
   * The follower's history, read after the live stream is attached: one bounded read up to now
   * (`until`, with the engine's sub-second precision), redacted like the live lines and sent to
   * the follower alone as the engine's answer arrives, in the pieces the engine hands on (up to
   * READ_LINES_PER_HAND, 1,000: the last piece of a 100k-line history leaves as soon as it is
   * read, and no socket message is a 5 MB string). The engine cuts the tail before it applies
   * `until`: lines written during the read leave the history a few short of 200, and come
   * through the live stream instead. Returns its first line and each stream's lines at that
   * stream's last timestamp (HistoryEdges): all its boundary needs (a 100k-line history is not
   * held).
   */
  private async readHistory(stream: SharedStream, member: Member, options: { since?: number | undefined }): Promise<ServiceLogLine[]> {
    const range = options.since === undefined ? { tail: 200 } : { since: options.since, tail: MAX_SINCE_LINES };
    const edges = new HistoryEdges<ServiceLogLine>();
    await stream.target.engine.readLogsInto(stream.target.containerId, { ...range, until: Date.now() / 1000 }, (lines) => {
      const shown = lines.map((line) => this.redacted(stream, line));
      edges.add(shown);
      if (shown.length > 0 && stream.members.has(member)) member.follower.lines(shown);
    });
    return edges.lines();
  }

  private leave(stream: SharedStream, member: Member): void {
    if (!stream.members.delete(member) || stream.members.size > 0 || stream.ended) return;
    // The last follower left: close the engine stream (its onEnd then finds it ended).
    stream.ended = true;
    this.forget(stream);
    stream.stop();
  }

  /** The engine stream ended by itself (container stopped, replaced, removed) or failed. */
  private ended(stream: SharedStream, err?: Error): void {
    if (stream.ended) return;
    this.flush(stream);
    stream.ended = true;
    this.forget(stream);
    const reason = err ? `Log stream failed: ${err.message}` : "The container stopped";
    for (const member of [...stream.members]) {
      if (member.state === "history") {
        member.endReason = reason;
        continue;
      }
      stream.members.delete(member);
      member.follower.end(reason);
    }
    if (err) this.deps.log.debug({ containerId: stream.target.containerId, err: err.message }, "runtime log stream failed");
  }

  private forget(stream: SharedStream): void {
    if (this.streams.get(stream.target.key)?.stream === stream) this.streams.delete(stream.target.key);
  }
}
