/**
 * Issue #14.5: git URLs and notification targets cannot aim Berth at the host's own network.
 * Addresses are parsed (not string-matched), names resolved and checked, the connection goes
 * to the checked address, and a test notification says only delivered / not delivered.
 * Traffic goes only to receivers on 127.0.0.1 that the test starts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { freePort } from "../../test/free-ports.ts";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { allowLocalSources, createGitService } from "../../test/deploy-harness.ts";
import { createChannel, listChannels, testChannel } from "../notifications/channels.ts";
import { cloneSource } from "../sources/clone.ts";
import { checkGitUrl } from "../sources/git-url.ts";
import { OutboundRefusedError, postJson, type Resolver } from "./outbound.ts";

const deps = testDeps();
let receiver: Server;
let port: number;
const hits: { path: string; host: string }[] = [];
let fixture: GitFixture;

// Every form the issue lists, plus cousins a string check misses.
const LOCAL_HOSTS = [
  "[::ffff:127.0.0.1]",
  "[::ffff:7f00:1]",
  "172.17.0.1",
  "10.0.0.1",
  "169.254.169.254",
  "[::]",
  "0.0.0.0",
  "[fd00:ec2::254]",
  "100.100.100.200",
  "[fe80::1]",
  "0x7f.1",
];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    hits.push({ path: req.url ?? "", host: req.headers.host ?? "" });
    req.resume();
    res.statusCode = req.url?.includes("refuse") ? 500 : 204;
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
  fixture = await startGitFixture({ Dockerfile: "FROM scratch\n" });
  await allowLocalSources(deps, false);
});

afterAll(async () => {
  await allowLocalSources(deps, false);
  receiver.close();
  await fixture.close();
  await deps.db.$disconnect();
});

describe("outbound requests on a user's behalf go only to public addresses", () => {
  it("refuses notification targets and git URLs on loopback, private, link-local, metadata, unspecified and IPv4-mapped addresses", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { projectId } = await seedService(deps.db, teamId, { env: {} });
    for (const host of LOCAL_HOSTS) {
      await expect(
        createChannel(deps, actor, projectId, {
          kind: "webhook",
          name: "x",
          target: `https://${host}:${port}/x`,
          onSuccess: true,
          onFailure: true,
        }),
        host,
      ).rejects.toMatchObject({
        code: "INVALID",
        fieldErrors: { target: expect.any(String) },
      });
      await expect(createGitService(deps, actor, teamId, { url: `https://${host}/team/app.git` }), host).rejects.toMatchObject({
        code: "INVALID",
        fieldErrors: { "git.url": expect.any(String) },
      });
      expect(checkGitUrl(`git@${host.replace(/^\[|\]$/g, "")}:team/app.git`, { allowLocalSources: false }), host).toHaveProperty("error");
    }
    expect(await deps.db.notificationChannel.count({ where: { projectId } })).toBe(0);
    expect(hits).toEqual([]);
  });

  it("checks the target again at every send: a channel saved while local sources were allowed is not delivered once they are not", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { projectId } = await seedService(deps.db, teamId, { env: {} });
    await allowLocalSources(deps, true);
    const channel = await createChannel(deps, actor, projectId, {
      kind: "webhook",
      name: "x",
      target: `http://127.0.0.1:${port}/later`,
      onSuccess: true,
      onFailure: true,
    });
    await allowLocalSources(deps, false);
    expect(await testChannel(deps, actor, projectId, channel.id)).toMatchObject({ delivered: false });
    expect(hits.filter((h) => h.path === "/later")).toEqual([]);
  });

  it("a test notification tells delivered or not, never the receiver's status or why a connection failed", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { projectId } = await seedService(deps.db, teamId, { env: {} });
    await allowLocalSources(deps, true);
    const refusing = await createChannel(deps, actor, projectId, {
      kind: "webhook",
      name: "a",
      target: `http://127.0.0.1:${port}/refuse`,
      onSuccess: true,
      onFailure: true,
    });
    const closed = await createChannel(deps, actor, projectId, {
      kind: "webhook",
      name: "b",
      target: `http://127.0.0.1:${await freePort()}/x`,
      onSuccess: true,
      onFailure: true,
    });
    const a = await testChannel(deps, actor, projectId, refusing.id);
    const b = await testChannel(deps, actor, projectId, closed.id);
    expect(a).toEqual({ delivered: false, lastStatus: "not delivered" });
    expect(b).toEqual(a);
    expect(JSON.stringify(await listChannels(deps, actor, projectId))).not.toMatch(/\b500\b|ECONNREFUSED|refused/i);
    await allowLocalSources(deps, false);
  });

  it("connects to the address that was checked: a second DNS answer (rebinding) is never asked", async () => {
    let asked = 0;
    const rebinding: Resolver = async () => (asked++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.1", family: 4 }]);
    await postJson(`http://rebind.berth.test:${port}/pinned`, { ok: true }, { allowLocal: true, timeoutMs: 2000, resolver: rebinding });
    expect(asked).toBe(1);
    expect(hits.find((h) => h.path === "/pinned")).toEqual({ path: "/pinned", host: `rebind.berth.test:${port}` });
    // Without local sources the same name is refused before any connection.
    const before = hits.length;
    await expect(
      postJson(
        `https://rebind.berth.test:${port}/x`,
        {},
        { allowLocal: false, timeoutMs: 2000, resolver: async () => [{ address: "127.0.0.1", family: 4 }] },
      ),
    ).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(
      postJson(
        `https://public.berth.test/x`,
        {},
        {
          allowLocal: false,
          timeoutMs: 2000,
          resolver: async () => [
            { address: "93.184.216.34", family: 4 },
            { address: "10.1.1.1", family: 4 },
          ],
        },
      ),
    ).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(hits.length).toBe(before);
  });

  it("git clones over http(s) connect to the checked address too (a name that no DNS answers still clones, pinned)", async () => {
    const fixturePort = new URL(fixture.url).port;
    const url = `http://pinned.berth.invalid:${fixturePort}/app.git`;
    const repo = checkGitUrl(url, { allowLocalSources: true });
    if ("error" in repo) throw new Error(repo.error);
    const source = await cloneSource({
      repo,
      branch: "main",
      auth: {},
      pin: { host: "pinned.berth.invalid", port: Number(fixturePort), address: "127.0.0.1" },
      signal: AbortSignal.timeout(30_000),
      onLine: () => undefined,
    });
    try {
      expect(source.commitSha).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      await source.cleanup();
    }
  });
});
