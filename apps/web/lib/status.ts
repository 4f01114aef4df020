export type Tone = "neutral" | "info" | "success" | "warning" | "danger";
export type DeploymentStatus = "queued" | "deploying" | "running" | "failed" | "stopped";
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

export function isDeploymentActive(status: DeploymentStatus | null | undefined): boolean {
  return status === "queued" || status === "deploying";
}

/** One status for a service, from its latest deployment and (when known) its container. */
export function serviceStatus({ desiredState, latestStatus, runtimeState }: ServiceStatusInput): StatusView {
  if (latestStatus === "queued") return view("queued", "Queued", "info");
  if (latestStatus === "deploying") return view("deploying", "Deploying", "info");
  if (runtimeState === "running") return view("running", "Running", "success");
  if (runtimeState === "restarting") return view("restarting", "Restarting", "warning");
  if (runtimeState === "created") return view("starting", "Starting", "info");
  if (latestStatus === "failed") return view("failed", "Failed", "danger");
  if (desiredState === "stopped" || latestStatus === "stopped") return view("stopped", "Stopped", "neutral");
  if (runtimeState === "exited") return view("exited", "Exited", "danger");
  if (runtimeState === "unknown") return view("unknown", "Unknown", "warning");
  if (!latestStatus) return view("not-deployed", "Not deployed", "neutral");
  if (runtimeState === undefined && latestStatus === "running") return view("running", "Running", "success");
  return view("not-running", "Not running", "warning");
}

const DEPLOYMENT_VIEWS: Record<DeploymentStatus, StatusView> = {
  queued: view("queued", "Queued", "info"),
  deploying: view("deploying", "Deploying", "info"),
  running: view("running", "Running", "success"),
  failed: view("failed", "Failed", "danger"),
  stopped: view("stopped", "Stopped", "neutral"),
};

export function deploymentStatus(status: DeploymentStatus): StatusView {
  return DEPLOYMENT_VIEWS[status] ?? view(String(status), String(status), "neutral");
}
