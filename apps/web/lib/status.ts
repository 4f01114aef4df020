export type Tone = "neutral" | "info" | "success" | "warning" | "danger";
export type DeploymentStatus =
  "queued" | "cloning" | "building" | "releasing" | "succeeded" | "failed" | "cancelled" | "superseded" | "timed_out";

/** What a badge shows: a stable machine key (for tests and styling), a label and a tone. */
export interface StatusView {
  key: string;
  label: string;
  tone: Tone;
}

const view = (key: string, label: string, tone: Tone): StatusView => ({ key, label, tone });

const IN_PROGRESS: readonly string[] = ["queued", "cloning", "building", "releasing"];

/** Queued or in progress: the deployment may still change. */
export function isDeploymentActive(status: DeploymentStatus | null | undefined): boolean {
  return status !== null && status !== undefined && IN_PROGRESS.includes(status);
}

/**
 * A service's live status as a badge. The status itself is derived once, on the server
 * (apps/server/src/overview/service-status.ts), for the overview, the project page and the
 * service page alike; this only names it.
 */
const LIVE_VIEWS: Record<string, StatusView> = {
  running: view("running", "Running", "success"),
  deploying: view("deploying", "Deploying", "info"),
  failed: view("failed", "Failed", "danger"),
  timed_out: view("timed_out", "Timed out", "danger"),
  stopped: view("stopped", "Stopped", "neutral"),
  crash_looping: view("crash_looping", "Crash-looping", "danger"),
  restarting: view("restarting", "Restarting", "warning"),
  starting: view("starting", "Starting", "info"),
  exited: view("exited", "Exited", "danger"),
  not_deployed: view("not_deployed", "Not deployed", "neutral"),
  unknown: view("unknown", "Unknown", "warning"),
};

export function liveStatusView(status: string): StatusView {
  return LIVE_VIEWS[status] ?? view(status, status, "neutral");
}

/** Order of the overview's summary counts. */
export const STATUS_ORDER = [
  "crash_looping",
  "failed",
  "timed_out",
  "exited",
  "restarting",
  "deploying",
  "starting",
  "running",
  "stopped",
  "not_deployed",
  "unknown",
];

const DEPLOYMENT_VIEWS: Record<DeploymentStatus, StatusView> = {
  queued: view("queued", "Queued", "info"),
  cloning: view("cloning", "Cloning", "info"),
  building: view("building", "Building", "info"),
  releasing: view("releasing", "Releasing", "info"),
  succeeded: view("succeeded", "Succeeded", "success"),
  failed: view("failed", "Failed", "danger"),
  cancelled: view("cancelled", "Cancelled", "neutral"),
  superseded: view("superseded", "Superseded", "neutral"),
  timed_out: view("timed_out", "Timed out", "danger"),
};

export function deploymentStatus(status: DeploymentStatus): StatusView {
  return DEPLOYMENT_VIEWS[status] ?? view(String(status), String(status), "neutral");
}
