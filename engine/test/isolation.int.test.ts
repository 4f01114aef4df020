/**
 * Project networks on the real engine: services of one project reach each other by name
 * (and alias); a container of another project reaches neither them (by name or IP) nor a
 * container on Docker's default bridge.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { probeTcpDirect } from "../src/probe.ts";
import { HELLO_IMAGE, TEST_RUN_LABEL, uniqueId, useTestTeam } from "./support/hello-image.ts";
import { reach } from "./support/reach.ts";

const { engine, docker, teamId, newRelease } = useTestTeam();

/** Docker's inter-network isolation chains as they are now, and the bridge of `network` (a failure's explanation). */
function isolationRules(network: string): string {
  const chains = ["DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2"].map(
    (chain) => spawnSync("iptables", ["-S", chain], { encoding: "utf8" }).stdout,
  );
  const bridge = spawnSync("ip", ["-o", "addr", "show"], { encoding: "utf8" }).stdout;
  return `${chains.join("")}bridges: ${bridge
    .split("\n")
    .filter((l) => /br-|docker0/.test(l))
    .join("\n")}\n(network ${network})`;
}

function addressOn(info: { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }, network: string): string {
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) throw new Error(`no address on ${network}`);
  return ip;
}

describe("project networks", () => {
  it("services of a project reach each other by name and alias; another project reaches neither them nor the default bridge", async () => {
    const projectA = uniqueId("p");
    const projectB = uniqueId("p");
    const inA = (serviceName: string, aliases: string[] = []) =>
      newRelease({ owner: { teamId, projectId: projectA, serviceId: uniqueId("s") }, serviceName, network: { scope: "project", aliases } });
    const db = await engine.runRelease(inA("db", ["db.shop.internal"]));
    const api = await engine.runRelease(inA("api"));
    const intruder = await engine.runRelease(
      newRelease({
        owner: { teamId: uniqueId("team"), projectId: projectB, serviceId: uniqueId("s") },
        serviceName: "intruder",
        network: { scope: "project" },
      }),
    );
    // The other team's release is this file's too: remove it with the rest.
    const otherTeam = (await docker.getContainer(intruder.containerId).inspect()).Config.Labels["io.berth.team"];

    const bridged = await docker.createContainer({
      Image: HELLO_IMAGE,
      Labels: { [TEST_RUN_LABEL]: teamId },
      name: `berth-test-bridge-${uniqueId("c")}`,
    });
    try {
      await bridged.start();
      const networkA = `berth-p-${projectA}`;
      const dbIp = addressOn(await docker.getContainer(db.containerId).inspect(), networkA);
      const bridgeIp = addressOn(await bridged.inspect(), "bridge");

      // Inside project A: by service name, by alias, by IP.
      expect((await reach(engine, api.containerId, "db")).ok).toBe(true);
      expect((await reach(engine, api.containerId, "db.shop.internal")).ok).toBe(true);
      expect((await reach(engine, api.containerId, dbIp)).ok).toBe(true);
      // The targets are up (so the refusals below are the network's doing): the host reaches both.
      expect(await probeTcpDirect(dbIp, 8080)).toBe("open");
      expect(await probeTcpDirect(bridgeIp, 8080)).toBe("open");

      // From project B: not by name, not by IP, not the default bridge.
      const byName = await reach(engine, intruder.containerId, "db");
      expect(byName.ok).toBe(false);
      expect((await reach(engine, intruder.containerId, "db.shop.internal")).ok).toBe(false);
      const byIp = await reach(engine, intruder.containerId, dbIp);
      expect(byIp.ok).toBe(false);
      expect((await reach(engine, intruder.containerId, bridgeIp)).ok).toBe(false);
      // Nor does project A reach the default bridge. (Docker's isolation rules say why if it does.)
      const toBridge = await reach(engine, api.containerId, bridgeIp);
      // The rules are read only when it did: two processes spawned on every run for a message never shown.
      if (toBridge.ok) expect.fail(`project A reached ${bridgeIp} on docker0:\n${isolationRules(networkA)}`);

      const network = await docker.getNetwork(networkA).inspect();
      expect(network.Driver).toBe("bridge");
      expect(network.Options?.["com.docker.network.bridge.enable_icc"]).toBe("true");
    } finally {
      await bridged.remove({ force: true });
      const leftovers = await docker.listContainers({ all: true, filters: { label: [`io.berth.team=${otherTeam}`] } });
      for (const c of leftovers) await docker.getContainer(c.Id).remove({ force: true });
      await docker
        .getNetwork(`berth-p-${projectB}`)
        .remove()
        .catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 404) throw e;
        });
    }
  });

  it("stay apart while Docker rewrites its rules (networks created and removed meanwhile: infra/isolate-networks.sh)", async () => {
    const projectA = uniqueId("p");
    const projectB = uniqueId("p");
    const db = await engine.runRelease(
      newRelease({ owner: { teamId, projectId: projectA, serviceId: uniqueId("s") }, serviceName: "db", network: { scope: "project" } }),
    );
    const intruder = await engine.runRelease(
      newRelease({
        owner: { teamId, projectId: projectB, serviceId: uniqueId("s") },
        serviceName: "intruder",
        network: { scope: "project" },
      }),
    );
    const dbIp = addressOn(await docker.getContainer(db.containerId).inspect(), `berth-p-${projectA}`);
    // Eight connection attempts at a time from project B to project A's db for PROBE_S seconds...
    const PROBE_S = 15;
    const attempts = engine.exec(intruder.containerId, {
      cmd: [
        "sh",
        "-c",
        'end=$(( $(date +%s) + $SECS )); for k in 1 2 3 4 5 6 7 8; do (while [ "$(date +%s)" -lt "$end" ]; do ' +
          "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 \"$TARGET\" 8080; echo tried; done) & done; wait",
      ],
      env: { TARGET: dbIp, SECS: String(PROBE_S) },
      timeoutMs: (PROBE_S + 30) * 1000,
    });
    // ...while networks are created and removed (what creating projects does): without the rules
    // in DOCKER-USER some of them got through (42 in one such run).
    let probing = true;
    const stop = () => (probing = false);
    void attempts.then(stop, stop);
    let churned = 0;
    while (probing) {
      const network = await docker.createNetwork({ Name: `berth-test-churn-${uniqueId("n")}`, Labels: { [TEST_RUN_LABEL]: teamId } });
      await network.remove();
      churned += 1;
    }
    const { output } = await attempts;
    const tried = output.split("\n").filter((line) => line === "tried").length;
    expect(churned).toBeGreaterThan(10);
    expect(tried).toBeGreaterThan(50);
    expect(output.match(/HTTP\/1\.[01] 200/g) ?? []).toEqual([]);
    // Project A's own containers still reach its db by address.
    const peer = await engine.runRelease(
      newRelease({ owner: { teamId, projectId: projectA, serviceId: uniqueId("s") }, serviceName: "api", network: { scope: "project" } }),
    );
    expect((await reach(engine, peer.containerId, dbIp)).ok).toBe(true);
  });

  it("two first releases of one project at once share one network (Docker's duplicate check is best-effort)", async () => {
    const projectId = uniqueId("p");
    const inProject = (serviceName: string) =>
      newRelease({ owner: { teamId, projectId, serviceId: uniqueId("s") }, serviceName, network: { scope: "project" } });
    await Promise.all([engine.runRelease(inProject("one")), engine.runRelease(inProject("two")), engine.runRelease(inProject("three"))]);
    const networks = await docker.listNetworks({ filters: { name: [`berth-p-${projectId}`] } });
    expect(networks.filter((n) => n.Name === `berth-p-${projectId}`)).toHaveLength(1);
  });
});
