import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Server as SocketServer } from "socket.io";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedService, testDeps, TEST_IMAGE, waitFor } from "../../server/test/harness.ts";
import { allowLocalSources, createGitService, deploymentWorker, removeServiceEverywhere } from "../../server/test/deploy-harness.ts";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../server/test/git-fixture.ts";
import { Client, startHttp } from "../../server/test/http-harness.ts";

/**
 * The `berth` command end to end: the real bin run by node as a child process, against the real
 * control plane (request handler + deployment worker) with its Postgres and Docker Engine.
 */

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "bin", "berth.js");
const deps = testDeps();
const worker = deploymentWorker(deps);
let server: Server;
let io: SocketServer;
let base: string;
let fixture: GitFixture;
let configHome: string;
let token: string;
let projectName: string;
let serviceName: string;
let gitServiceName: string;
const touched: string[] = [];

/** The child's whole environment: nothing of the test process leaks in (no stray BERTH_TOKEN). */
const cliEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  NODE_ENV: "test" as const,
  XDG_CONFIG_HOME: configHome,
  ...extra,
});

/** `berth ...args` with the given extra environment; never throws (the exit code is asserted). */
function berth(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 180_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: cliEnv(env), timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
const asToken = () => ({ BERTH_URL: base, BERTH_TOKEN: token });

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  await allowLocalSources(deps, true);
  ({ server, base, io } = await startHttp(deps));
  worker.start();
  configHome = mkdtempSync(path.join(tmpdir(), "berth-cli-config-"));

  const owner = new Client(base);
  expect((await owner.signUp(`cli-${Date.now()}@example.test`)).status).toBe(200);
  const teamId = (await owner.query("me.get")).data.teams[0].id as string;
  token = (await owner.mutate("tokens.create", { teamId, name: "cli", scope: "admin" })).data.token as string;

  const { projectId, serviceId } = await seedService(deps.db, teamId, { image: TEST_IMAGE });
  touched.push(serviceId);
  projectName = (await deps.db.project.findUniqueOrThrow({ where: { id: projectId } })).name;
  serviceName = (await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } })).name;

  fixture = await startGitFixture({ Dockerfile: helloDockerfile("broken", 'RUN echo "about to fail" && false\n') });
  const actor = { userId: (await owner.query("me.get")).data.user.id as string, instanceRole: "user" as const };
  const git = await createGitService(deps, actor, teamId, { url: fixture.url, branch: "main" });
  touched.push(git.serviceId);
  gitServiceName = (await deps.db.service.findUniqueOrThrow({ where: { id: git.serviceId } })).name;
});

afterAll(async () => {
  await worker.stop();
  for (const serviceId of touched) await removeServiceEverywhere(deps, serviceId);
  await deps.db.service.deleteMany({ where: { id: { in: touched } } });
  await allowLocalSources(deps, false);
  await fixture.close();
  await io.close();
  server.close();
  rmSync(configHome, { recursive: true, force: true });
  await deps.db.$disconnect();
});

describe("berth login and clear errors", () => {
  it("login verifies the token and stores URL + token in a 0600 file under XDG_CONFIG_HOME; later commands use it", async () => {
    const login = await berth(["login", base], { BERTH_TOKEN: token });
    expect(login).toMatchObject({ code: 0, stderr: "" });
    expect(login.stdout).toContain("admin scope");
    const file = path.join(configHome, "berth", "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ url: base, token });

    const services = await berth(["services"]);
    expect(services.code).toBe(0);
    expect(services.stdout).toContain(`${projectName}/${serviceName}`);
    const json = await berth(["--json", "projects"]);
    expect(JSON.parse(json.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: projectName, serviceCount: 1 })]));
  });

  it("a bad token, a refused connection, a server that is not Berth and an unknown service each fail with a clear message", async () => {
    const badToken = await berth(["services"], { BERTH_URL: base, BERTH_TOKEN: "berth_not-a-real-token" });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain("The token was refused: Invalid, expired or revoked API token");

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await berth(["services"], { BERTH_URL: closedUrl, BERTH_TOKEN: token });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Cannot connect to ${closedUrl}: connection refused`);

    const other = createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>nginx</h1>"));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const notBerth = await berth(["login", otherUrl], { BERTH_TOKEN: token });
    other.close();
    expect(notBerth.code).toBe(1);
    expect(notBerth.stderr).toContain(`${otherUrl} does not look like a Berth server`);

    const unknown = await berth(["deploy", "no-such-service"], asToken());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown service "no-such-service"');
    expect(await deps.db.deployment.count({ where: { serviceId: { in: touched } } })).toBe(0);
  });
});

describe("berth deploy --wait, logs -f, env, status", () => {
  it("deploy --wait on a failing build streams the build log and exits non-zero with the failure reason", async () => {
    const res = await berth(["deploy", "--wait", gitServiceName], asToken());
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("about to fail");
    expect(res.stderr).toMatch(/berth: Deployment failed: .*exit code: 1/);
  });

  it("deploy --wait on a good image exits 0 with the live release; status shows it", async () => {
    const res = await berth(["deploy", "--wait", `${projectName}/${serviceName}`], asToken());
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: "" });
    expect(res.stdout).toContain("Deployment succeeded: release #1 is live");
    const status = await berth(["--json", "status", serviceName], asToken());
    expect(JSON.parse(status.stdout)).toMatchObject({
      latestDeployment: { status: "succeeded", trigger: "api" },
      releases: [{ number: 1, live: true }],
    });
  });

  it("rollback --wait releases the release before the live one again", async () => {
    expect((await berth(["deploy", "--wait", serviceName], asToken())).stdout).toContain("release #2 is live");
    const res = await berth(["rollback", "--wait", serviceName], asToken());
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: "" });
    expect(res.stdout).toContain("back to release #1");
    expect(res.stdout).toContain("Deployment succeeded: release #3 is live");
    const noSuch = await berth(["rollback", "--to", "9", serviceName], asToken());
    expect(noSuch).toMatchObject({ code: 1, stderr: expect.stringContaining("No retained release #9") });
  });

  it("logs -f prints the running container's new lines as they come", async () => {
    const child = spawn(process.execPath, [BIN, "--json", "logs", "-f", "--tail", "0", serviceName], { env: cliEnv(asToken()) });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    try {
      // --tail 0: nothing old; lines must arrive from following the live container.
      const lines = await waitFor(
        "three followed log lines",
        async () => {
          const got = out.split("\n").filter(Boolean);
          return got.length >= 3 ? got : null;
        },
        30_000,
      );
      // Each line once, in order (the follower asks again from the last second and skips what it printed).
      const times = lines.map((l) => (JSON.parse(l) as { time: string }).time);
      expect(times).toEqual([...times].sort());
      expect(new Set(times).size).toBe(times.length);
      expect(err).toBe("");
    } finally {
      child.kill();
    }
  });

  it("run streams the command's output from a new container of the live release and exits with its code", async () => {
    const res = await berth(["run", serviceName, "--", "sh", "-c", "echo out-$((40+2)); echo err-line >&2; exit 3"], asToken());
    expect(res.code).toBe(3);
    expect(res.stdout).toContain("out-42");
    expect(res.stdout).toContain("err-line");
    const ok = await berth(["--json", "run", serviceName, "--", "true"], asToken());
    expect({ code: ok.code, result: JSON.parse(ok.stdout) }).toMatchObject({ code: 0, result: { status: "succeeded", exitCode: 0 } });
    // No live release: a clear error, nothing run.
    const none = await berth(["run", gitServiceName, "--", "true"], asToken());
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining("has no live release yet: deploy it first") });
  });

  it("env set / get / unset / import: secrets never printed; import uses the server's .env parser", async () => {
    const setSecret = spawn(process.execPath, [BIN, "env", "set", "--secret", serviceName, "API_KEY"], { env: cliEnv(asToken()) });
    setSecret.stdin.end("s3cret-from-stdin\n");
    expect(await new Promise((resolve) => setSecret.on("close", resolve))).toBe(0);
    expect((await berth(["env", "set", serviceName, "PLAIN=visible"], asToken())).code).toBe(0);
    const list = await berth(["env", "get", serviceName], asToken());
    expect(list.stdout).toMatch(/API_KEY\s+\(secret\)/);
    expect(list.stdout).not.toContain("s3cret-from-stdin");
    expect((await berth(["env", "get", serviceName, "PLAIN"], asToken())).stdout).toBe("visible\n");
    expect((await berth(["env", "get", serviceName, "API_KEY"], asToken())).stderr).toContain("API_KEY is a secret");

    const dotenv = path.join(configHome, "app.env");
    writeFileSync(dotenv, 'FROM_FILE=one\nQUOTED="two words"\n');
    expect((await berth(["env", "import", serviceName, dotenv], asToken())).stdout).toContain("Imported 2 variables");
    writeFileSync(dotenv, "GOOD=1\nBAD LINE\n");
    const bad = await berth(["env", "import", serviceName, dotenv], asToken());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Line 2");
    expect((await berth(["env", "unset", serviceName, "PLAIN"], asToken())).code).toBe(0);
    const missing = await berth(["env", "unset", serviceName, "PLAIN"], asToken());
    expect(missing).toMatchObject({ code: 1, stderr: "berth: Variable PLAIN not found\n" });
    const names = JSON.parse((await berth(["--json", "env", "get", serviceName], asToken())).stdout).map((v: { name: string }) => v.name);
    expect(names).toEqual(["API_KEY", "FROM_FILE", "GREETING", "QUOTED"]);
  });
});
