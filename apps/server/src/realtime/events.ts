/**
 * The socket.io events between the control plane and the dashboard, named and typed once. The
 * server's `Server`/`Socket` and the web app's client socket are typed with these maps (the web
 * app imports them as types only, `@berth/server/realtime-events`, as it does `AppRouter`), so a
 * misspelt event or a wrong payload fails typecheck on either side. What a client sends is still
 * validated at run time (zod, in the handlers): a type is no check on an untrusted socket.
 */
import type { Server, Socket } from "socket.io";
import type { SessionUser } from "../auth/session.ts";
import type { DeploymentLogLine, DeploymentStatusEvent } from "../deployments/events.ts";
import type { MetricPoint } from "../metrics/aggregate.ts";
import type { RunSlice } from "../one-offs/read-output.ts";

// Through the use cases' own types: transport layers import neither @berth/db nor @berth/engine.
type DeploymentStatus = DeploymentStatusEvent["status"];
type OneOffStatus = RunSlice["status"];

/** The answer to a subscription (`*:watch`, `*:subscribe`, `oneoff:follow`). */
export type SubscribeAck = { ok: true } | { ok: false; error: string };
export type TerminalOpenAck = { ok: true; terminalId: string } | { ok: false; error: string };

export interface DeploymentStatusPayload {
  deploymentId: string;
  serviceId: string;
  status: DeploymentStatus;
}
export interface BuildLinesPayload {
  deploymentId: string;
  lines: DeploymentLogLine[];
}
/** A finished deployment (status and the last seq sent), or access that ended (reason, no status). */
export type BuildEndPayload =
  { deploymentId: string; status: DeploymentStatus; lastSeq: number } | { deploymentId: string; reason: string };
/**
 * A batch of one container's runtime log lines, in columns (packed and unpacked by
 * log-lines-payload.ts): line i is `time[i]` and `text[i]`, on stderr if i is in `stderr`.
 */
export interface LogLinesPayload {
  serviceId: string;
  /** Each line's engine timestamp (RFC 3339). */
  time: string[];
  text: string[];
  /** Indexes of the lines written to stderr; the others went to stdout. */
  stderr: number[];
  /** A cluster service's lines: the task that wrote them (`#2 on node-b`) and its id. */
  task?: { label: string; id: string };
}
export interface LogEndPayload {
  serviceId: string;
  reason: string;
}
export interface OneOffOutputPayload {
  runId: string;
  /** Where `text` starts in the whole output (characters), and where the next piece starts. */
  offset: number;
  next: number;
  text: string;
}
/** `unknown`: the output could not be read any further (the run's state was not seen). */
export interface OneOffEndPayload {
  runId: string;
  status: OneOffStatus | "unknown";
  exitCode?: number | null;
  error?: string | null;
  durationMs?: number | null;
}
export interface OverviewChangedPayload {
  teamId: string;
  serviceId: string;
}
export interface MetricsSamplePayload {
  serviceId: string;
  point: MetricPoint;
}
export interface WatchEndPayload {
  room: string;
  reason: string;
}
export interface TerminalOutputPayload {
  terminalId: string;
  data: string;
}
export interface TerminalExitPayload {
  terminalId: string;
  reason: string;
}

export interface ServerToClientEvents {
  "deployment:status": (payload: DeploymentStatusPayload) => void;
  "build:lines": (payload: BuildLinesPayload) => void;
  "build:end": (payload: BuildEndPayload) => void;
  "logs:lines": (payload: LogLinesPayload) => void;
  "logs:end": (payload: LogEndPayload) => void;
  "oneoff:output": (payload: OneOffOutputPayload) => void;
  "oneoff:end": (payload: OneOffEndPayload) => void;
  "overview:changed": (payload: OverviewChangedPayload) => void;
  "metrics:sample": (payload: MetricsSamplePayload) => void;
  "host:sample": (point: MetricPoint) => void;
  "watch:end": (payload: WatchEndPayload) => void;
  "session:ended": (payload: { reason: string }) => void;
  "terminal:output": (payload: TerminalOutputPayload) => void;
  "terminal:exit": (payload: TerminalExitPayload) => void;
}

export interface ServiceRef {
  serviceId: string;
}
/** `since`: unix seconds; the history sent first is every line after it instead of the last 200. */
export interface LogsSubscribePayload extends ServiceRef {
  since?: number;
}
/** `afterSeq`: the last seq the client holds (-1 for none); the server resumes after it. */
export interface BuildSubscribePayload {
  deploymentId: string;
  afterSeq?: number;
}
export interface OneOffFollowPayload extends ServiceRef {
  runId: string;
  offset?: number;
}
export interface TerminalOpenPayload extends ServiceRef {
  /** A cluster service's task (from `services.tasks`); else its first running one. */
  taskId?: string;
  cols?: number;
  rows?: number;
}

export interface ClientToServerEvents {
  "logs:subscribe": (payload: LogsSubscribePayload, ack: (reply: SubscribeAck) => void) => void;
  "logs:unsubscribe": (payload: ServiceRef) => void;
  "deployments:watch": (payload: ServiceRef, ack?: (reply: SubscribeAck) => void) => void;
  "build:subscribe": (payload: BuildSubscribePayload, ack: (reply: SubscribeAck) => void) => void;
  "build:unsubscribe": (payload: { deploymentId: string }) => void;
  "overview:watch": (payload: { teamId: string }, ack?: (reply: SubscribeAck) => void) => void;
  "overview:unwatch": (payload: { teamId: string }) => void;
  "metrics:watch": (payload: ServiceRef, ack?: (reply: SubscribeAck) => void) => void;
  "metrics:unwatch": (payload: ServiceRef) => void;
  "host:watch": (payload: Record<string, never>, ack?: (reply: SubscribeAck) => void) => void;
  "host:unwatch": () => void;
  "oneoff:follow": (payload: OneOffFollowPayload, ack: (reply: SubscribeAck) => void) => void;
  "oneoff:unfollow": (payload: ServiceRef & { runId: string }) => void;
  "terminal:open": (payload: TerminalOpenPayload, ack: (reply: TerminalOpenAck) => void) => void;
  "terminal:input": (payload: { terminalId: string; data: string }) => void;
  "terminal:resize": (payload: { terminalId: string; cols: number; rows: number }) => void;
  "terminal:close": (payload: { terminalId: string }) => void;
}

/** What the gateway's auth middleware puts on each socket. */
export interface SocketData {
  user: SessionUser;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- one process fans out; no server-to-server events
export interface InterServerEvents {}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
