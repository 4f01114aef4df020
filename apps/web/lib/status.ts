export type Tone = "neutral" | "info" | "success" | "warning" | "danger";
export type DeploymentStatus = "queued" | "cloning" | "building" | "releasing" | "succeeded" | "failed" | "cancelled" | "superseded" | "timed_out";
export type RuntimeState = "running" | "exited" | "created" | "restarting" | "none" | "unknown";

/** What a badge shows: a stable machine key (for tests and styling), a label and a tone. */
export interface StatusView {
  key: string;
  label: string;
  tone: Tone;
}

const view = (key: string, label: string, tone: Tone): StatusView => ({ key, label, tone });

export interface ServiceStatusInput {
  desiredState: "running" | "stopped";
  latestStatus: DeploymentStatus | null | undefined;
  /** The container's state; absent in lists, which only know the desired state. */
  runtimeState?: RuntimeState | undefined;
}

const IN_PROGRESS: readonly string[] = ["queued", "cloning", "building", "releasing"];

/** Queued or in progress: the deployment may still change. */
export function isDeploymentActive(status: DeploymentStatus | null | undefined): boolean {
  return status !== null && status !== undefined && IN_PROGRESS.includes(status);
}

/** One status for a service, from its latest deployment and (when known) its container. */
export function serviceStatus({ desiredState, latestStatus, runtimeState }: ServiceStatusInput): StatusView {
  if (latestStatus === "queued") return view("queued", "Queued", "info");
  if (latestStatus === "cloning" || latestStatus === "building" || latestStatus === "releasing") return view("deploying", "Deploying", "info");
  if (runtimeState === "running") return view("running", "Running", "success");
  if (runtimeState === "restarting") return view("restarting", "Restarting", "warning");
  if (runtimeState === "created") return view("starting", "Starting", "info");
  if (latestStatus === "failed" || latestStatus === "timed_out") return view("failed", "Failed", "danger");
  if (desiredState === "stopped") return view("stopped", "Stopped", "neutral");
  if (runtimeState === "exited") return view("exited", "Exited", "danger");
  if (runtimeState === "unknown") return view("unknown", "Unknown", "warning");
  if (!latestStatus) return view("not-deployed", "Not deployed", "neutral");
  if (runtimeState === undefined && latestStatus === "succeeded") return view("running", "Running", "success");
  return view("not-running", "Not running", "warning");
}

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
