/**
 * The local database images (infra/build-test-images.sh: berth-test/postgres:15, berth-test/redis:7
 * and the berth-test/app tier) run as services through the engine's public API, on one project
 * network: the app reaches each by its service name, PostgreSQL keeps its rows in a named volume
 * when its container is replaced and shuts down fast and cleanly, Redis answers SET/GET.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, type ReleaseSpec } from "../src/index.ts";
import { cleanupTeam, eventually, rawDocker, releaseFactory, uniqueId } from "./support/hello-image.ts";

const POSTGRES_IMAGE = "berth-test/postgres:15";
const REDIS_IMAGE = "berth-test/redis:7";
const APP_IMAGE = "berth-test/app:latest";
const PG = { user: "shop", password: "pw-" + uniqueId(""), db: "shop" };

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
// One project: its services share the project network and reach each other by service name.
const projectId = uniqueId("p");

function service(serviceName: string, spec: Partial<ReleaseSpec>): ReleaseSpec {
  return newRelease({
    owner: { teamId, projectId, serviceId: uniqueId("s") },
    serviceName,
    network: { scope: "project" },
    env: {},
    ...spec,
  });
}

/** A redeploy of the same service: same owner, a new deployment. */
function redeploy(spec: ReleaseSpec): ReleaseSpec {
  return { ...spec, deploymentId: uniqueId("d") };
}

async function containerLogs(id: string): Promise<string> {
  // Multiplexed frames: every line arrives whole inside one frame, enough for `includes`.
  return (await docker.getContainer(id).logs({ stdout: true, stderr: true })).toString("utf8");
}

beforeAll(async () => {
  for (const image of [POSTGRES_IMAGE, REDIS_IMAGE, APP_IMAGE]) {
    await docker
      .getImage(image)
      .inspect()
      .catch(() => {
        throw new Error(`${image} is missing: build the test images first (bash infra/build-test-images.sh)`);
      });
  }
});

afterAll(async () => {
  // Containers, release tags, the project network and the volumes: all carry this file's team.
  await cleanupTeam(docker, teamId);
});

describe("local database images on the real engine", () => {
  const api = service("api", { image: APP_IMAGE, containerPort: 8080 });
  const cache = service("cache", {
    image: REDIS_IMAGE,
    containerPort: 6379,
    command: ["redis-server", "--appendonly", "yes"],
    volumes: [{ type: "volume", name: "redisdata", target: "/data" }],
  });
  let apiContainer = "";
  let cacheContainer = "";
  const cli = (...args: string[]) => engine.exec(apiContainer, { cmd: ["redis-cli", "-h", "cache", ...args] });

  beforeAll(async () => {
    // One after the other: the first creates the project network.
    apiContainer = (await engine.runRelease(api)).containerId;
    cacheContainer = (await engine.runRelease(cache)).containerId;
  });

  it("keeps PostgreSQL's rows in a named volume across a new container, reached by service name with a password", async () => {
    const db = service("db", {
      image: POSTGRES_IMAGE,
      containerPort: 5432,
      env: { POSTGRES_PASSWORD: PG.password, POSTGRES_USER: PG.user, POSTGRES_DB: PG.db },
      volumes: [{ type: "volume", name: "pgdata", target: "/var/lib/postgresql/data" }],
    });
    const psql = (sql: string, password = PG.password) =>
      engine.exec(apiContainer, {
        cmd: ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "db", "-U", PG.user, "-d", PG.db, "-c", sql],
        env: { PGPASSWORD: password, PGCONNECT_TIMEOUT: "3" },
      });
    const dbAccepts = () =>
      eventually(
        async () => ((await engine.exec(apiContainer, { cmd: ["pg_isready", "-q", "-h", "db"] })).exitCode === 0 ? true : undefined),
        30_000,
      );
    const first = await engine.runRelease(db);
    await dbAccepts();

    expect((await psql("CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'teapot')")).exitCode).toBe(0);
    const refused = await psql("SELECT 1", "wrong");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/password authentication failed for user "shop"/);
    expect(await containerLogs(first.containerId)).toContain("PostgreSQL init process complete");

    // A client in the middle of a query does not hold the stop up: a fast shutdown within the 10 s
    // grace. A server still waiting for its client then is SIGKILLed, and the next one says so
    // when it starts (the log checks below), however loaded the machine.
    const busy = psql("SELECT pg_sleep(60)");
    await eventually(async () =>
      (await psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")).output.trim() === "1" ? true : undefined,
    );
    await engine.removeContainer(first.containerId);
    expect((await busy).exitCode).not.toBe(0);

    const second = await engine.runRelease(redeploy(db));
    const mounts = (await docker.getContainer(second.containerId).inspect()).Mounts;
    expect(mounts.map((m) => [m.Name, m.Destination])).toEqual([[`berth-${projectId}-pgdata`, "/var/lib/postgresql/data"]]);
    await dbAccepts();
    const row = await psql("SELECT item FROM orders WHERE id = 1");
    expect(row).toMatchObject({ exitCode: 0, output: "teapot\n" });
    // No second initdb, and the previous server had shut down cleanly (no crash recovery).
    const logs = await containerLogs(second.containerId);
    expect(logs).not.toContain("init process complete");
    expect(logs).toMatch(/database system was shut down at/);
    expect(logs).not.toMatch(/automatic recovery|not properly shut down/);

    // SIGTERM itself means a fast shutdown too (PostgreSQL alone would wait for its clients).
    const session = await engine.openExec(apiContainer, {
      cmd: ["psql", "-X", "-h", "db", "-U", PG.user, "-d", PG.db],
      env: { PGPASSWORD: PG.password },
      stdin: true,
    });
    await eventually(async () =>
      (await psql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")).output.trim() === "2" ? true : undefined,
    );
    // No SIGKILL follows this SIGTERM, and the session stays open until after the wait: a server
    // that waited for its clients would never exit (the test would time out).
    await docker.getContainer(second.containerId).kill({ signal: "SIGTERM" });
    const exited = (await docker.getContainer(second.containerId).wait()) as { StatusCode: number };
    expect(exited.StatusCode).toBe(0);
    session.endInput();
    session.close();
  });

  it("answers Redis SET/GET by service name, with appendonly from the command and data in /data owned by redis", async () => {
    expect(await cli("SET", "greeting", "hello")).toMatchObject({ exitCode: 0, output: "OK\n" });
    expect(await cli("GET", "greeting")).toMatchObject({ exitCode: 0, output: "hello\n" });
    expect((await cli("CONFIG", "GET", "appendonly")).output).toBe("appendonly\nyes\n");
    const owner = await engine.exec(cacheContainer, { cmd: ["stat", "-c", "%U", "/data/appendonlydir"] });
    expect(owner.output).toBe("redis\n");
  });

  it("serves a CGI script given at run time that reads from the cache by service name", async () => {
    expect((await cli("SET", "page", "served from redis")).exitCode).toBe(0);
    const script = ["#!/bin/sh", "printf 'Content-Type: text/plain\\r\\n\\r\\n'", "redis-cli -h cache GET page"].join("\n");
    const web = service("web", {
      image: APP_IMAGE,
      containerPort: 8080,
      env: { SCRIPT: script },
      command: ["sh", "-c", 'printf "%s\\n" "$SCRIPT" >/www/cgi-bin/page && chmod +x /www/cgi-bin/page && exec httpd -f -p 8080 -h /www'],
    });
    const release = await engine.runRelease(web);
    const response = await fetch(`http://127.0.0.1:${release.hostPort}/cgi-bin/page`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("served from redis\n");
  });
});
