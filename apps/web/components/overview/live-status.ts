import type { StatusView } from "@/lib/status";

/** The overview's live statuses as badges (stable `key` for tests). */
const VIEWS: Record<string, StatusView> = {
  running: { key: "running", label: "Running", tone: "success" },
  deploying: { key: "deploying", label: "Deploying", tone: "info" },
  failed: { key: "failed", label: "Failed", tone: "danger" },
  stopped: { key: "stopped", label: "Stopped", tone: "neutral" },
  crash_looping: { key: "crash_looping", label: "Crash-looping", tone: "danger" },
  restarting: { key: "restarting", label: "Restarting", tone: "warning" },
  starting: { key: "starting", label: "Starting", tone: "info" },
  exited: { key: "exited", label: "Exited", tone: "danger" },
  not_deployed: { key: "not_deployed", label: "Not deployed", tone: "neutral" },
  unknown: { key: "unknown", label: "Unknown", tone: "warning" },
};

export function liveStatusView(status: string): StatusView {
  return VIEWS[status] ?? { key: status, label: status, tone: "neutral" };
}

/** Order of the summary counts. */
export const STATUS_ORDER = ["crash_looping", "failed", "exited", "restarting", "deploying", "starting", "running", "stopped", "not_deployed", "unknown"];
