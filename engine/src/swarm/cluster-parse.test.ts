import { describe, expect, it } from "vitest";
import { parseMembership, parseNode } from "./cluster-parse.ts";

describe("swarm membership and nodes", () => {
  it("reads /info's Swarm block: in no swarm, a manager, a worker", () => {
    expect(parseMembership({ Swarm: { NodeID: "", LocalNodeState: "inactive", ControlAvailable: false } })).toEqual({
      state: "inactive",
      nodeId: "",
      clusterId: null,
      manager: false,
      managerAddrs: [],
    });
    const manager = parseMembership({
      Swarm: {
        NodeID: "n1",
        LocalNodeState: "active",
        ControlAvailable: true,
        Cluster: { ID: "c1" },
        RemoteManagers: [{ NodeID: "n1", Addr: "10.0.0.2:2377" }],
      },
    });
    expect(manager).toMatchObject({ state: "active", manager: true, clusterId: "c1", managerAddrs: ["10.0.0.2:2377"] });
    expect(parseMembership({ Swarm: { LocalNodeState: "weird" } }).state).toBe("inactive");
    expect(parseMembership({}).state).toBe("inactive");
  });

  it("reads a node: role, availability, state, labels, the manager's advertised address", () => {
    const node = parseNode({
      ID: "abc",
      Version: { Index: 12 },
      Spec: { Role: "manager", Availability: "drain", Labels: { zone: "east" } },
      Description: { Hostname: "h1" },
      Status: { State: "ready", Addr: "0.0.0.0" },
      ManagerStatus: { Leader: true, Addr: "10.0.0.2:2377" },
    });
    expect(node).toEqual({
      id: "abc",
      hostname: "h1",
      role: "manager",
      availability: "drain",
      state: "ready",
      address: "10.0.0.2",
      labels: { zone: "east" },
      leader: true,
      managerAddr: "10.0.0.2:2377",
      version: 12,
    });
    expect(parseNode({ ID: "w", Spec: { Role: "worker", Labels: null }, Status: { State: "down", Addr: "10.0.0.3" } })).toMatchObject({
      role: "worker",
      availability: "active",
      state: "down",
      address: "10.0.0.3",
      labels: {},
      leader: false,
      managerAddr: null,
    });
  });
});
