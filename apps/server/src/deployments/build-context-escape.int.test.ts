/**
 * Issue #14.1: a repository must not make Berth pack host files into its build. Symbolic links
 * in the checkout that lead the context or the Dockerfile outside it are refused (naming the
 * field); links inside the context travel as links; .dockerignore and long paths are honoured.
 * Real git over HTTP on 127.0.0.1, real BuildKit builds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { requireTestImage, seedUser, testDeps } from "../../test/harness.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../test/deploy-harness.ts";
import { enqueueDeployment } from "./deployments.ts";

const deps = testDeps();
const worker = deploymentWorker(deps, 2);
const touched: string[] = [];
let fixture: GitFixture;
let hostDir: string;

async function deploy(git: Record<string, unknown>) {
  const { actor, teamId } = await seedUser(deps.db);
  const { serviceId } = await createGitService(deps, actor, teamId, { url: fixture.url, ...git });
  touched.push(serviceId);
  return finishedDeployment(deps, (await enqueueDeployment(deps, actor, serviceId)).deploymentId);
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  // A host directory the attacker points at: it holds a "host secret" and a Dockerfile that copies it.
  hostDir = mkdtempSync(path.join(tmpdir(), "berth-host-secret-"));
  writeFileSync(path.join(hostDir, "secret.txt"), "HOST-SECRET\n");
  writeFileSync(path.join(hostDir, "Dockerfile"), "FROM berth-test/hello:latest\nCOPY secret.txt /www/index.html\n");
  const long = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}`;
  fixture = await startGitFixture({
    // Inside the context: the link stays a link, the ignored file is not sent, the long path is.
    Dockerfile: helloDockerfile(
      "inside",
      `COPY . /ctx/\nRUN test -L /ctx/link && test "$(readlink /ctx/link)" = index.txt && test ! -e /ctx/secret.env && test ! -e /ctx/logs && test -e /ctx/logs-keep/kept.txt && test -f /ctx/${long}/deep.txt && test -f /ctx/.dockerignore\n`,
    ),
    "index.txt": "one\n",
    "secret.env": "PASSWORD=x\n",
    "logs/a.log": "x\n",
    "logs-keep/kept.txt": "kept\n",
    [`${long}/deep.txt`]: "deep\n",
    ".dockerignore": "secret.env\nlogs\n",
  });
  fixture.commit({}, "a link inside the context", "main", { link: "index.txt" });
  fixture.commit({}, "context through a link to a host dir", "escape-context", { cfg: hostDir });
  fixture.commit({}, "context one level above the checkout", "escape-home", { home: ".." });
  fixture.commit({ "sub/Dockerfile": "FROM berth-test/hello:latest\n" }, "Dockerfile through a link", "escape-dockerfile", {
    "sub/Linked": path.join(hostDir, "Dockerfile"),
  });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const serviceId of touched) await removeServiceEverywhere(deps, serviceId);
  await allowLocalSources(deps, false);
  await fixture.close();
  rmSync(hostDir, { recursive: true, force: true });
  await deps.db.$disconnect();
});

describe("build contexts stay inside the checkout", () => {
  it("refuses a context that is a symbolic link to a host directory, naming contextPath", async () => {
    const d = await deploy({ branch: "escape-context", contextPath: "cfg", dockerfilePath: "cfg/Dockerfile" });
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/contextPath cfg resolves outside the repository/);
    expect(d.image ?? "").toBe("");
  });

  it("refuses a context above the checkout (home -> ..), naming contextPath", async () => {
    const d = await deploy({ branch: "escape-home", contextPath: "home", dockerfilePath: "home/work/Dockerfile" });
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/contextPath home resolves outside the repository/);
  });

  it("refuses a Dockerfile that is a symbolic link out of the checkout, naming dockerfilePath", async () => {
    const d = await deploy({ branch: "escape-dockerfile", contextPath: ".", dockerfilePath: "sub/Linked" });
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/dockerfilePath sub\/Linked resolves outside the repository/);
  });

  it("packs links inside the context as links, honours .dockerignore and long paths", async () => {
    const d = await deploy({ branch: "main" });
    expect(d.error).toBeNull();
    expect(d.status).toBe("succeeded");
  });
});
