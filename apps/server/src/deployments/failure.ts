import { isEngineError } from "@berth/engine";
import type { DeploymentStatus } from "@berth/db";
import type { Stage } from "./stage-timeouts.ts";
import { portInUseMessage } from "../services/host-ports.ts";

/** Thrown by a stage that ran past its deadline. */
export class StageTimeoutError extends Error {
  constructor(
    readonly stage: Stage,
    readonly seconds: number,
  ) {
    super(`The ${stage} stage did not finish within ${seconds} s`);
    this.name = "StageTimeoutError";
  }
}

export class CancelledError extends Error {
  constructor(message = "Cancelled by a user") {
    super(message);
    this.name = "CancelledError";
  }
}

/** Berth's own container names (berth-<service>-<sid8>-<did8>[-r<n>]) and engine ids mean nothing to a user. PURE. */
export function withoutContainerNames(message: string): string {
  return message
    .replace(/\bberth-[a-z0-9-]+?-[0-9a-f]{8}-[0-9a-f]{8}(?:-r\d+)?\b/g, "the new container")
    .replace(/\b[0-9a-f]{64}\b/g, "the new container");
}

/**
 * The engine's words for a fixed host port another program or container took between Berth's
 * check and the start ("Bind for 0.0.0.0:5433 failed: port is already allocated", "listen tcp4
 * 127.0.0.1:5433: bind: address already in use"), said the way the settings form says it. PURE.
 */
export function withPortInUse(message: string): string {
  const m =
    /(?:Bind for|listen tcp[46]?) \[?[0-9a-f.:]*?\]?:(\d+)(?: failed: port is already allocated|: bind: address already in use)/.exec(
      message,
    );
  return m ? `${portInUseMessage(Number(m[1]))}: choose another port. The engine said: ${message}` : message;
}

/** A readable failure reason: the engine's message, then the container's last log lines one per line. PURE. */
export function describeFailure(err: unknown): string {
  if (!isEngineError(err)) return withoutContainerNames(err instanceof Error ? err.message : String(err));
  const message = withPortInUse(withoutContainerNames(err.message));
  const logs = err.details?.logs ?? [];
  if (logs.length === 0 || err.code === "BUILD_FAILED") return message;
  return `${message}\nLast log lines:\n${logs.slice(-15).join("\n")}`;
}

/** Which terminal status a failure ends in, and why. PURE. */
export function classifyFailure(
  err: unknown,
  cancelled: boolean,
): { status: Extract<DeploymentStatus, "failed" | "cancelled" | "timed_out">; reason: string } {
  if (cancelled || err instanceof CancelledError || isEngineError(err, "CANCELLED")) {
    const reason = err instanceof Error && err.name === "CancelledError" ? err.message : "Cancelled by a user";
    return { status: "cancelled", reason };
  }
  if (err instanceof StageTimeoutError || isEngineError(err, "TIMEOUT")) return { status: "timed_out", reason: describeFailure(err) };
  if (isEngineError(err, "HEALTHCHECK_FAILED") && err.details?.exitCode === undefined && /within \d+ s/.test(err.message)) {
    return { status: "timed_out", reason: describeFailure(err) };
  }
  return { status: "failed", reason: describeFailure(err) };
}
