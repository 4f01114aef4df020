import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { SwarmCluster } from "@berth/engine";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../test/engine-nodes.ts";
import { testDeps } from "../../test/harness.ts";
import type { Client } from "../../test/http-harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { instanceOwnerAndMember } from "../../test/instance-clients.ts";
import { LeaderLease } from "../instance/leader-lease.ts";
import { ServerChecker } from "../servers/server-checker.ts";

/**
 * Cluster mode on a real three-node Docker Swarm: three extra engines in their own network
 * namespaces (test/engine-nodes.ts), added as TCP+TLS servers, formed into a swarm through
 * Berth's engine connections only. The host's shared engine never enters swarm mode: every
 * swarm here lives on the harness's nodes and goes away with them.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
let http: { server: Server; base: string };
let engines: EngineNodes;
let owner: Client;
let member: Client;
/** Server ids by short name: a (the first manager), b (joins as a manager), c (a worker). */
const ids: Record<string, string> = {};

beforeAll(async () => {
  [engines, http] = await Promise.all([startEngineNodes(3), startHttp(deps)]);
  ({ owner, member } = await instanceOwnerAndMember(deps, http.base, tag));
});

afterAll(async () => {
  await deps.db.cluster.deleteMany({ where: { manager: { name: { endsWith: tag } } } });
  await deps.db.server.deleteMany({ where: { name: { endsWith: tag } } });
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: false } });
  http?.server.close();
  await engines?.close();
  await deps.db.$disconnect();
});

const node = (i: number): EngineNode => engines.nodes[i]!;
/** The test's own view of a node's engine (its unix socket), to check what Berth did. */
const direct = (i: number) => new SwarmCluster({ socketPath: node(i).socketPath });
const tls = (name: string, i: number, extra: Record<string, unknown> = {}) => ({
  kind: "tls",
  name: `${name}-${tag}`,
  host: node(i).address,
  ...node(i).clientTls,
  ...extra,
});
/** Removes a server, failing with the answer's error if it is not { ok: true }. */
const remove = async (id: string) => {
  const res = await owner.mutate("servers.remove", { serverId: id });
  expect(res.error?.message ?? res.data).toEqual({ ok: true });
};
const checked = async (id: string) => (await owner.mutate("servers.check", { serverId: id })).data;

describe("cluster mode", () => {
  it("refuses a member, joining with no cluster, a bad address, an unreachable server and one in another swarm; nothing is written", async () => {
    for (const [name, i] of [
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ] as const) {
      const added = await owner.mutate("servers.add", tls(name, i));
      expect(added.data).toMatchObject({ state: "reachable", node: null });
      ids[name] = added.data.id;
    }
    expect((await member.query("cluster.get")).status).toBe(403);
    expect((await member.mutate("cluster.create", { serverId: ids.a })).status).toBe(403);

    const noCluster = await owner.mutate("cluster.join", { serverId: ids.b });
    expect(noCluster.status).toBe(409);
    expect(noCluster.error?.message).toMatch(/Cluster mode is off: create a cluster/);

    const badAddress = await owner.mutate("cluster.create", { serverId: ids.a, advertiseAddress: "node-a.example.com" });
    expect(badAddress.error?.data.fieldErrors).toMatchObject({ advertiseAddress: expect.stringMatching(/IP address/) });

    const dead = await owner.mutate("servers.add", tls("dead", 0, { port: 1 }));
    const unreachable = await owner.mutate("cluster.create", { serverId: dead.data.id });
    expect(unreachable.error?.data.fieldErrors).toMatchObject({
      serverId: expect.stringMatching(/dead-.* is unreachable: .*ECONNREFUSED/),
    });
    await remove(dead.data.id);

    // c is in a swarm of its own: Berth says so and leaves it alone.
    const foreignNodeId = await direct(2).init(`${node(2).address}:2377`);
    const foreign = await owner.mutate("cluster.create", { serverId: ids.c });
    expect(foreign.error?.data.fieldErrors).toMatchObject({ serverId: expect.stringMatching(/already part of another swarm/) });
    expect((await direct(2).membership()).nodeId).toBe(foreignNodeId);
    await direct(2).leave(true);

    expect(await deps.db.cluster.count()).toBe(0);
    expect(await deps.db.server.count({ where: { name: { endsWith: tag }, swarmNodeId: { not: null } } })).toBe(0);
  });

  it("creates the cluster on one server and adds the others through their engine connections: nodes ready with their roles", async () => {
    const created = await owner.mutate("cluster.create", { serverId: ids.a });
    expect(created.data).toMatchObject({ managerServerId: ids.a, managerName: `a-${tag}` });
    expect((await direct(0).membership()).manager).toBe(true);
    for (const [name, i, role] of [
      ["b", 1, "manager"],
      ["c", 2, "worker"],
    ] as const) {
      const joined = await owner.mutate("cluster.join", { serverId: ids[name], role });
      expect(joined.status).toBe(200);
      expect(joined.data.node).toMatchObject({ role, address: node(i).address, availability: "active" });
    }
    expect((await direct(1).membership()).manager).toBe(true);
    const again = await owner.mutate("cluster.join", { serverId: ids.b });
    expect(again.error?.data.fieldErrors).toMatchObject({ serverId: expect.stringMatching(/already a node/) });

    await vi.waitFor(
      async () => {
        const nodes = await Promise.all(["a", "b", "c"].map(async (n) => (await checked(ids[n]!)).node));
        expect(nodes.map((n) => [n.role, n.state])).toEqual([
          ["manager", "ready"],
          ["manager", "ready"],
          ["worker", "ready"],
        ]);
      },
      { timeout: 60_000, interval: 500 },
    );
    const onEngine = await direct(0).nodes();
    expect(onEngine.map((n) => n.id).sort()).toEqual(
      (await deps.db.server.findMany({ where: { id: { in: Object.values(ids) } } })).map((s) => s.swarmNodeId).sort(),
    );

    // The join tokens never leave the server: not in answers, not in the audit.
    const tokens = [await direct(0).joinToken("worker"), await direct(0).joinToken("manager")];
    const audit = await deps.db.auditEvent.findMany({
      where: { targetId: { in: Object.values(ids) }, action: { startsWith: "cluster." } },
    });
    expect(audit.map((e) => e.action).sort()).toEqual(["cluster.create", "cluster.join", "cluster.join"]);
    const seen = JSON.stringify([audit, (await owner.query("servers.list")).data, (await owner.query("cluster.get")).data]);
    for (const token of tokens) expect(seen).not.toContain(token);
  });

  it("sets labels and drains a node on the engine; a bad label is an error at its field", async () => {
    const bad = await owner.mutate("cluster.setLabels", {
      serverId: ids.b,
      labels: [
        { key: "zone", value: "east" },
        { key: "bad key", value: "x" },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.error?.data.fieldErrors).toEqual({ "labels.1.key": expect.stringMatching(/Letters, digits/) });

    const labelled = await owner.mutate("cluster.setLabels", { serverId: ids.b, labels: [{ key: "zone", value: "east" }] });
    expect(labelled.data.node.labels).toEqual({ zone: "east" });
    const drained = await owner.mutate("cluster.setAvailability", { serverId: ids.b, availability: "drain" });
    expect(drained.data.node.availability).toBe("drain");
    const b = await direct(0).node(drained.data.node.id);
    expect(b).toMatchObject({ labels: { zone: "east" }, availability: "drain" });
  });

  it("a stopped engine shows down after the periodic check: its node as the manager reports it, its server unreachable", async () => {
    const lease = new LeaderLease(deps, `server-checker-${tag}`, "cluster-test");
    await lease.renew();
    await node(2).stopDockerd();
    await vi.waitFor(
      async () => {
        await new ServerChecker(deps, lease).checkAll();
        const c = (await owner.query("servers.list")).data.find((s: { id: string }) => s.id === ids.c);
        expect([c.state, c.node.state]).toEqual(["unreachable", "down"]);
      },
      { timeout: 120_000, interval: 1_000 },
    );
    await lease.stop();
  }, 180_000);

  it("a lost quorum is its own state: with one of two managers stopped the check says so, and ok again once it is back", async () => {
    const lease = new LeaderLease(deps, `server-checker-quorum-${tag}`, "cluster-test");
    await lease.renew();
    const control = async () => {
      await new ServerChecker(deps, lease).checkAll();
      return (await owner.query("cluster.get")).data.control;
    };
    expect((await control()).state).toBe("ok");
    await node(1).stopDockerd();
    await vi.waitFor(
      async () => {
        const now = await control();
        expect(now.state).toBe("no-quorum");
        expect(now.error).toMatch(/lost its quorum: it needs 2 of its 2 managers/);
      },
      { timeout: 120_000, interval: 1_000 },
    );
    await node(1).startDockerd();
    await vi.waitFor(
      async () => {
        expect((await control()).state).toBe("ok");
        const b = (await owner.query("servers.list")).data.find((s: { id: string }) => s.id === ids.b);
        expect(b.node.state).toBe("ready");
      },
      { timeout: 120_000, interval: 1_000 },
    );
    await lease.stop();
  }, 300_000);

  it("removal: a manager is demoted and leaves; the last manager is refused while nodes remain; a down node is removed by force; the last node ends cluster mode", async () => {
    const bNodeId = (await deps.db.server.findUniqueOrThrow({ where: { id: ids.b } })).swarmNodeId;
    await remove(ids.b!);
    expect((await direct(1).membership()).state).toBe("inactive");
    expect((await direct(0).nodes()).map((n) => n.id)).not.toContain(bNodeId);

    const refused = await owner.mutate("servers.remove", { serverId: ids.a });
    expect(refused.status).toBe(409);
    expect(refused.error?.message).toMatch(/last manager: remove the other node first \(c-/);
    expect(await deps.db.server.count({ where: { id: ids.a } })).toBe(1);

    await remove(ids.c!);
    expect((await direct(0).nodes()).map((n) => n.id)).toHaveLength(1);

    await remove(ids.a!);
    expect((await owner.query("cluster.get")).data).toBeNull();
    expect((await direct(0).membership()).state).toBe("inactive");
    const removed = await deps.db.auditEvent.findMany({ where: { targetId: { in: Object.values(ids) }, action: "server.remove" } });
    expect(removed.map((e) => (e.detail as { leftCluster?: boolean }).leftCluster)).toEqual([true, true, true]);
  }, 180_000);
});
