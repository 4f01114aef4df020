import { isEngineError } from "@berth/engine";
import type { DeploymentStatus } from "@berth/db";
import type { Stage } from "./stage-timeouts.ts";

/** Thrown by a stage that ran past its deadline. */
export class StageTimeoutError extends Error {
  constructor(readonly stage: Stage, readonly seconds: number) {
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

/** A readable failure reason: the engine's message plus the container's last log lines. PURE. */
export function describeFailure(err: unknown): string {
  if (!isEngineError(err)) return err instanceof Error ? err.message : String(err);
  const logs = err.details?.logs ?? [];
  if (logs.length === 0 || err.code === "BUILD_FAILED") return err.message;
  return `${err.message}\nLast log lines:\n${logs.slice(-15).join("\n")}`;
}

/** Which terminal status a failure ends in, and why. PURE. */
export function classifyFailure(err: unknown, cancelled: boolean): { status: Extract<DeploymentStatus, "failed" | "cancelled" | "timed_out">; reason: string } {
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
