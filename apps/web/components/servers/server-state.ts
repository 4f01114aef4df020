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

/** A cluster node's state as its manager reports it. */
const NODE_STATES: Record<string, StatusView> = {
  ready: { key: "ready", label: "Node ready", tone: "success" },
  down: { key: "down", label: "Node down", tone: "danger" },
  disconnected: { key: "disconnected", label: "Node disconnected", tone: "warning" },
  unknown: { key: "unknown", label: "Node state unknown", tone: "neutral" },
};

export function nodeStateView(state: string | null): StatusView {
  return NODE_STATES[state ?? "unknown"] ?? { key: state ?? "unknown", label: state ?? "unknown", tone: "neutral" };
}
