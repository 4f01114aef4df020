import type { StatusView } from "@/lib/status";

/** A server's state as a badge (the state itself is decided on the server: servers/check-server.ts). */
const STATES: Record<string, StatusView> = {
  pending: { key: "pending", label: "Not checked yet", tone: "neutral" },
  reachable: { key: "reachable", label: "Reachable", tone: "success" },
  unreachable: { key: "unreachable", label: "Unreachable", tone: "danger" },
  host_key_mismatch: { key: "host_key_mismatch", label: "Host key changed", tone: "danger" },
};

export function serverStateView(state: string): StatusView {
  return STATES[state] ?? { key: state, label: state, tone: "neutral" };
}
