import type { SwarmNode } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { pickPinNode, pinConstraint, satisfies } from "./volume-pin.ts";

const node = (id: string, over: Partial<SwarmNode> = {}): SwarmNode => ({
  id,
  hostname: `host-${id}`,
  role: "worker",
  availability: "active",
  state: "ready",
  address: "10.0.0.1",
  labels: {},
  leader: false,
  managerAddr: null,
  version: 1,
  ...over,
});

describe("satisfies", () => {
  it("reads labels, host name, role and id with == and !=", () => {
    const n = node("n1", { labels: { zone: "z1" }, role: "manager" });
    expect(satisfies(n, "node.labels.zone==z1")).toBe(true);
    expect(satisfies(n, "node.labels.zone!=z1")).toBe(false);
    expect(satisfies(n, "node.labels.disk==ssd")).toBe(false);
    expect(satisfies(n, "node.labels.disk!=ssd")).toBe(true);
    expect(satisfies(n, "node.hostname==host-n1")).toBe(true);
    expect(satisfies(n, "node.role==worker")).toBe(false);
    expect(satisfies(n, "node.id==n1")).toBe(true);
    expect(satisfies(n, "engine.labels.x==y")).toBe(false);
  });
});

describe("pickPinNode", () => {
  const nodes = [
    node("m1", { role: "manager" }),
    node("w1", { labels: { zone: "z1" } }),
    node("w2"),
    node("w3", { state: "down" }),
    node("w4", { availability: "drain" }),
  ];

  it("picks a ready, active node satisfying every constraint, a worker before a manager", () => {
    expect(pickPinNode(nodes, [], new Map())?.id).toBe("w1");
    expect(pickPinNode(nodes, ["node.labels.zone!=z1"], new Map())?.id).toBe("w2");
    expect(pickPinNode(nodes, ["node.role==manager"], new Map())?.id).toBe("m1");
  });

  it("spreads pinned services: the node with the fewest pinned already", () => {
    expect(
      pickPinNode(
        nodes,
        [],
        new Map([
          ["w1", 2],
          ["w2", 1],
        ]),
      )?.id,
    ).toBe("m1");
    expect(pickPinNode(nodes, [], new Map([["w1", 1]]))?.id).toBe("w2");
  });

  it("none when no node qualifies (down, drained or not matching)", () => {
    expect(pickPinNode(nodes, ["node.id==w3"], new Map())).toBeNull();
    expect(pickPinNode(nodes, ["node.id==w4"], new Map())).toBeNull();
    expect(pickPinNode(nodes, ["node.labels.zone==z9"], new Map())).toBeNull();
  });

  it("pins with node.id", () => {
    expect(pinConstraint("abc")).toBe("node.id==abc");
  });
});
