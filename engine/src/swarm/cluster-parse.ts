/**
 * What the Engine API says about swarm membership (`/info`'s Swarm block) and about a swarm's
 * nodes (`/nodes`), as Berth's own shapes. PURE.
 */

/** `inactive`: in no swarm; `pending`: a join still being attempted; `locked`: autolock on. */
export type SwarmLocalState = "inactive" | "pending" | "active" | "error" | "locked";
export type SwarmRole = "manager" | "worker";
export type NodeAvailability = "active" | "pause" | "drain";
/** The manager's view of a node: `down` once its engine stops answering heartbeats. */
export type NodeState = "unknown" | "down" | "ready" | "disconnected";

export interface SwarmMembership {
  state: SwarmLocalState;
  /** This engine's node id (empty when in no swarm). */
  nodeId: string;
  /** The swarm's id, known to managers only (workers see null). */
  clusterId: string | null;
  /** Whether this engine is a manager (can answer /nodes, /swarm). */
  manager: boolean;
  /** Addresses of the managers this engine knows (host:port). */
  managerAddrs: string[];
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: SwarmRole;
  availability: NodeAvailability;
  state: NodeState;
  /** The address the node is reached at, as the manager sees it. */
  address: string;
  labels: Record<string, string>;
  /** Managers only: whether it leads, and the address (host:port) other nodes join through. */
  leader: boolean;
  managerAddr: string | null;
  /** The spec version an update must name (optimistic concurrency). */
  version: number;
}

export interface RawSwarmInfo {
  Swarm?: {
    NodeID?: string;
    LocalNodeState?: string;
    ControlAvailable?: boolean;
    RemoteManagers?: Array<{ NodeID?: string; Addr?: string }> | null;
    Cluster?: { ID?: string } | null;
  };
}

export interface RawNode {
  ID: string;
  Version?: { Index?: number };
  Spec?: { Name?: string; Labels?: Record<string, string> | null; Role?: string; Availability?: string };
  Description?: { Hostname?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Addr?: string } | null;
}

const LOCAL_STATES = new Set<SwarmLocalState>(["inactive", "pending", "active", "error", "locked"]);
const NODE_STATES = new Set<NodeState>(["unknown", "down", "ready", "disconnected"]);

export function parseMembership(info: RawSwarmInfo): SwarmMembership {
  const swarm = info.Swarm ?? {};
  const state = LOCAL_STATES.has(swarm.LocalNodeState as SwarmLocalState) ? (swarm.LocalNodeState as SwarmLocalState) : "inactive";
  return {
    state,
    nodeId: swarm.NodeID ?? "",
    clusterId: swarm.Cluster?.ID || null,
    manager: swarm.ControlAvailable === true,
    managerAddrs: (swarm.RemoteManagers ?? []).flatMap((m) => (m.Addr ? [m.Addr] : [])),
  };
}

export function parseNode(raw: RawNode): SwarmNode {
  const availability = raw.Spec?.Availability;
  return {
    id: raw.ID,
    hostname: raw.Description?.Hostname ?? "",
    role: raw.Spec?.Role === "manager" ? "manager" : "worker",
    availability: availability === "drain" || availability === "pause" ? availability : "active",
    state: NODE_STATES.has(raw.Status?.State as NodeState) ? (raw.Status?.State as NodeState) : "unknown",
    // A manager's Status.Addr may be 0.0.0.0 when it listens on every address; its ManagerStatus.Addr is the advertised one.
    address: (raw.ManagerStatus?.Addr?.replace(/:\d+$/, "") || raw.Status?.Addr) ?? "",
    labels: { ...(raw.Spec?.Labels ?? {}) },
    leader: raw.ManagerStatus?.Leader === true,
    managerAddr: raw.ManagerStatus?.Addr || null,
    version: raw.Version?.Index ?? 0,
  };
}
