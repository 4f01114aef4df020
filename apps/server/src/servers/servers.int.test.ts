import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../test/engine-nodes.ts";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { startHttp, type Client } from "../../test/http-harness.ts";
import { instanceOwnerAndMember } from "../../test/instance-clients.ts";
import { LeaderLease } from "../instance/leader-lease.ts";
import { ServerChecker } from "./server-checker.ts";

/**
 * Servers against a real extra Docker Engine (its own network namespace, TLS and SSH on its
 * address; test/engine-nodes.ts): added over TCP+TLS and SSH through the real request handler,
 * each bad input a field error or a clear state, never a hang.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
let http: { server: Server; base: string };
let cluster: EngineNodes;
let node: EngineNode;
const owner = () => ownerClient;
let ownerClient: Client;
let member: Client;

beforeAll(async () => {
  [cluster, http] = await Promise.all([startEngineNodes(1, { ssh: true }), startHttp(deps)]);
  node = cluster.nodes[0]!;
  ({ owner: ownerClient, member } = await instanceOwnerAndMember(deps, http.base, tag));
});

afterAll(async () => {
  await deps.db.server.deleteMany({ where: { name: { endsWith: tag } } });
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: false } });
  http?.server.close();
  await cluster?.close();
  await deps.db.$disconnect();
});

const tls = (name: string, extra: Record<string, unknown> = {}) => ({
  kind: "tls",
  name: `${name}-${tag}`,
  host: node.address,
  ...node.clientTls,
  ...extra,
});

describe("servers", () => {
  it("refuses a member who is not the instance owner, and writes nothing", async () => {
    expect((await member.query("servers.list")).status).toBe(403);
    const add = await member.mutate("servers.add", tls("member"));
    expect(add.status).toBe(403);
    expect(await deps.db.server.count({ where: { name: `member-${tag}` } })).toBe(0);
  });

  it("names every bad field; nothing is created", async () => {
    const bad = await owner().mutate(
      "servers.add",
      tls("bad", { host: "not a host!", ca: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----", key: "hunter2", port: 70000 }),
    );
    expect(bad.status).toBe(400);
    expect(bad.error?.data.fieldErrors).toMatchObject({
      host: expect.stringMatching(/host name .* or an IP address/),
      ca: expect.stringMatching(/Not a PEM certificate/),
      key: expect.stringMatching(/Not a PEM private key/),
      port: expect.stringMatching(/1-65535/),
    });
    const ssh = await owner().mutate("servers.add", {
      kind: "ssh",
      name: `bad-${tag}`,
      host: "-oProxyCommand=evil",
      username: "root; rm -rf /",
    });
    expect(Object.keys(ssh.error?.data.fieldErrors ?? {}).sort()).toEqual(["host", "username"]);
    expect(await deps.db.server.count({ where: { name: `bad-${tag}` } })).toBe(0);
  });

  it("adds a server over TCP+TLS: reachable, with its Docker version and resources; the key stays sealed", async () => {
    const added = await owner().mutate("servers.add", tls("tls"));
    expect(added.status).toBe(200);
    expect(added.data).toMatchObject({ state: "reachable", stateReason: null, kind: "tls", address: `${node.address}:2376` });
    expect(added.data.dockerVersion).toMatch(/^\d+\.\d+/);
    expect(added.data.cpus).toBeGreaterThan(0);
    expect(added.data.memoryBytes).toBeGreaterThan(0);
    expect(added.data.diskBytes).toBeGreaterThanOrEqual(0);
    expect(added.data.lastSeenAt).not.toBeNull();
    const clientKeyBody = node.clientTls.key.split("\n")[1]!;
    expect(JSON.stringify((await owner().query("servers.list")).data)).not.toContain(clientKeyBody);
    const row = await deps.db.server.findUniqueOrThrow({ where: { id: added.data.id } });
    expect(row.tlsKey).toMatch(/^berth:v1:/);
    const duplicate = await owner().mutate("servers.add", tls("tls"));
    expect(duplicate.error?.data.fieldErrors).toMatchObject({ name: expect.stringMatching(/already exists/) });
  });

  it("a wrong CA and a host with no engine are clear unreachable states", async () => {
    // The client certificate is no CA of the node's server certificate.
    const wrongCa = await owner().mutate("servers.add", tls("wrong-ca", { ca: node.clientTls.cert }));
    expect(wrongCa.data).toMatchObject({ state: "unreachable", dockerVersion: null, lastSeenAt: null });
    expect(wrongCa.data.stateReason).toMatch(/certificate/i);
    const closedPort = await owner().mutate("servers.add", tls("closed", { port: 1 }));
    expect(closedPort.data).toMatchObject({ state: "unreachable" });
    expect(closedPort.data.stateReason).toMatch(/ECONNREFUSED/);
    // An address on the nodes' bridge where no host answers: bounded, never a hang.
    const nobody = await owner().mutate("servers.add", tls("nobody", { host: cluster.subnet.replace(/\.0\/24$/, ".250") }));
    expect(nobody.data).toMatchObject({ state: "unreachable" });
    expect(nobody.data.stateReason).toMatch(/did not answer within \d+ ms/);
    // Out of the periodic round below (its deadline would only add wall time).
    await deps.db.server.delete({ where: { id: nobody.data.id } });
  });

  it("adds a server over SSH: Berth's generated key is refused until authorized, the host key is pinned at first contact, a changed one is a mismatch", async () => {
    const added = await owner().mutate("servers.add", { kind: "ssh", name: `ssh-${tag}`, host: node.address, username: "root" });
    expect(added.status).toBe(200);
    expect(added.data.state).toBe("unreachable");
    expect(added.data.stateReason).toMatch(/refused Berth's key/);
    expect(added.data.sshPublicKey).toMatch(/^ssh-ed25519 AAAA/);
    expect(added.data.hostKeySha256).toBe(node.sshHostKeySha256);
    const row = await deps.db.server.findUniqueOrThrow({ where: { id: added.data.id } });
    expect(row.sshPrivateKey).toMatch(/^berth:v1:/);
    expect(JSON.stringify(added.data)).not.toMatch(/PRIVATE KEY/);

    node.authorizeSshKey(added.data.sshPublicKey);
    const checked = await owner().mutate("servers.check", { serverId: added.data.id });
    expect(checked.data).toMatchObject({ state: "reachable", stateReason: null });
    expect(checked.data.dockerVersion).toMatch(/^\d+\.\d+/);

    const pinned = node.sshHostKeySha256;
    await node.replaceSshHostKey();
    const mismatch = await owner().mutate("servers.check", { serverId: added.data.id });
    expect(mismatch.data).toMatchObject({ state: "host_key_mismatch", hostKeySha256: pinned });
    expect(mismatch.data.stateReason).toContain(node.sshHostKeySha256);
  });

  it("refuses to remove the engine Berth's services run on", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const config = { containerPort: 8080, env: {} };
    const deployment = await deps.db.deployment.create({
      data: { serviceId, image: "berth-test/hello:latest", status: "succeeded", finishedAt: new Date(), config },
    });
    await deps.db.release.create({ data: { serviceId, number: 1, deploymentId: deployment.id, image: "berth-test/hello:latest", config } });
    const local = await owner().mutate("servers.add", { kind: "socket", name: `local-${tag}`, socketPath: deps.env.BERTH_DOCKER_SOCKET });
    const refused = await owner().mutate("servers.remove", { serverId: local.data.id });
    expect(refused.status).toBe(409);
    expect(refused.error?.message).toMatch(/still runs \d+ services?: move or delete them first/);
    expect(await deps.db.server.count({ where: { id: local.data.id } })).toBe(1);
    await deps.db.project.deleteMany({ where: { teamId } });
    await deps.db.team.delete({ where: { id: teamId } });
  });

  it("the periodic check runs in the one process that holds the lease", async () => {
    const [held, other] = [new LeaderLease(deps, `server-checker-${tag}`, "a"), new LeaderLease(deps, `server-checker-${tag}`, "b")];
    await held.renew();
    await other.renew();
    expect([held.held, other.held]).toEqual([true, false]);
    const { id } = await deps.db.server.findUniqueOrThrow({ where: { name: `tls-${tag}` } });
    const longAgo = new Date(0);
    await deps.db.server.update({ where: { id }, data: { checkedAt: longAgo } });
    await new ServerChecker(deps, other).checkAll();
    expect((await deps.db.server.findUniqueOrThrow({ where: { id } })).checkedAt).toEqual(longAgo);
    await new ServerChecker(deps, held).checkAll();
    expect((await deps.db.server.findUniqueOrThrow({ where: { id } })).checkedAt!.getTime()).toBeGreaterThan(longAgo.getTime());
    await Promise.all([held.stop(), other.stop()]);
  });

  it("goes unreachable when the engine stops; remove is audited", async () => {
    const server = (await owner().query("servers.list")).data.find((s: { name: string }) => s.name === `tls-${tag}`);
    await node.stopDockerd();
    const down = await owner().mutate("servers.check", { serverId: server.id });
    expect(down.data.state).toBe("unreachable");
    expect(down.data.stateReason).toMatch(/unreachable: connect ECONNREFUSED/);
    // What it last saw stays visible.
    expect(down.data.dockerVersion).toMatch(/^\d+\.\d+/);

    expect((await member.mutate("servers.remove", { serverId: server.id })).status).toBe(403);
    expect((await owner().mutate("servers.remove", { serverId: server.id })).data).toEqual({ ok: true });
    expect(await deps.db.server.count({ where: { id: server.id } })).toBe(0);
    const audit = await deps.db.auditEvent.findMany({ where: { targetId: server.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["server.add", "server.remove"]);
  });
});
