import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { startEngineNodes, type EngineNodes } from "../../apps/server/test/engine-nodes.ts";
import { ownerPage, signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { deleteService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

/**
 * A service on a two-node cluster (harness engines; the host's engine never enters swarm mode):
 * its page shows where each replica runs, and each running task's logs and terminal are one
 * click away. The cluster is removed again at the end (the Servers spec expects none).
 */
let nodes: EngineNodes;

test.beforeAll(async () => {
  nodes = await startEngineNodes(2);
  await Promise.all(nodes.nodes.map((n) => n.loadImages(["berth-test/hello:latest", "berth-test/caddy:2"])));
});

/** This run's name suffix, once its test started (the cleanup below looks for its servers). */
let suffix = "";

test.afterAll(async () => {
  await nodes?.close();
  // A run that failed midway leaves its cluster on, which would fail the next spec (Servers
  // expects cluster mode off): its cluster and server rows go (the nodes are gone already).
  if (!suffix) return;
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const mine = [`node-a-${suffix}`, `node-b-${suffix}`];
    await db.query(`DELETE FROM cluster WHERE "managerServerId" IN (SELECT id FROM server WHERE name = ANY($1))`, [mine]);
    await db.query(`DELETE FROM server WHERE name = ANY($1)`, [mine]);
  } finally {
    await db.end();
  }
});

async function addServer(owner: Page, name: string, node: EngineNodes["nodes"][number]): Promise<void> {
  const form = owner.getByRole("form", { name: "Add a server" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Host").fill(node.address);
  await form.getByLabel("CA certificate").fill(node.clientTls.ca);
  await form.getByLabel("Client certificate").fill(node.clientTls.cert);
  await form.getByLabel("Client key").fill(node.clientTls.key);
  await form.getByRole("button", { name: "Add server" }).click();
  await expect(owner.getByTestId(`server-${name}`).getByTestId("server-state")).toHaveAttribute("data-status", "reachable");
}

test("a cluster service's page shows where its replicas run, with each task's logs and terminal", async ({ page, browser }) => {
  test.setTimeout(360_000);
  const id = uniqueSuffix();
  suffix = id;
  const [a, b] = [`node-a-${id}`, `node-b-${id}`];
  const { owner: isOwner } = await signUp(page);
  const owner = isOwner ? page : await ownerPage(browser);
  const serviceName = `spread-${id}`;

  await test.step("two servers form a cluster", async () => {
    await owner.goto("/servers");
    await addServer(owner, a, nodes.nodes[0]!);
    await addServer(owner, b, nodes.nodes[1]!);
    const create = owner.getByRole("form", { name: "Create cluster" });
    await create.getByLabel("Server").selectOption({ label: `${a} (reachable)` });
    await create.getByRole("button", { name: "Create cluster" }).click();
    await expect(owner.getByTestId("cluster-summary")).toContainText(`managed through ${a}`);
    const join = owner.getByRole("form", { name: "Add to cluster" });
    await join.getByLabel("Server").selectOption({ label: `${b} (reachable)` });
    await join.getByLabel("Role").selectOption("worker");
    await join.getByRole("button", { name: "Add to cluster" }).click();
    await expect(owner.getByTestId(`server-${b}`).getByTestId("node-role")).toHaveText("Worker");
  });

  const serviceId = await test.step("a hello service with 2 replicas is placed on the cluster and deployed", async () => {
    await owner.goto("/");
    await createProject(owner, `Cluster ${id}`);
    await submitServiceForm(owner, { name: serviceName, image: "berth-test/hello:latest", port: "8080", deploy: false });
    await expect(owner.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
    const sid = serviceIdOf(owner);
    await openTab(owner, "Settings");
    const settings = owner.getByRole("form", { name: "Service settings" });
    await settings.getByLabel("Replicas").fill("2");
    await settings.getByRole("button", { name: "Save", exact: true }).click();
    await expect(owner.getByTestId("settings-state")).toHaveText(/Saved/);
    await openTab(owner, "Overview");
    const placement = owner.getByRole("form", { name: "Placement" });
    await placement.getByLabel("Runs").selectOption("cluster");
    await placement.getByRole("button", { name: "Save placement" }).click();
    await expect(owner.getByTestId("cluster-note")).toContainText("through the cluster's edge");
    await owner.getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(owner.getByTestId("deployment-row").first()).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
    return sid;
  });

  await test.step("the Placement panel lists each running replica with the server it runs on", async () => {
    await openTab(owner, "Overview");
    const running = owner.locator('[data-testid="cluster-task"][data-state="running"]');
    await expect(running).toHaveCount(2, { timeout: 30_000 });
    const servers = await owner.getByTestId("cluster-task-server").allTextContents();
    expect(servers.every((s) => s === a || s === b)).toBe(true);
  });

  await test.step("a task's Logs link shows that task's lines, each naming it", async () => {
    await owner
      .locator('[data-testid="cluster-task"][data-state="running"]')
      .first()
      .getByRole("link", { name: /^Logs of task/ })
      .click();
    await expect(owner).toHaveURL(/\?tab=logs&task=/);
    const log = owner.getByTestId("log-panel");
    await expect(log).toContainText("hello line", { timeout: 30_000 });
    const tags = new Set(await log.getByTestId("log-line-task").allTextContents());
    expect(tags.size).toBe(1);
    expect([...tags][0]).toMatch(new RegExp(`^#\\d on (${a}|${b})$`));
  });

  await test.step("a task's Terminal link opens a shell in that task", async () => {
    await openTab(owner, "Overview");
    await owner
      .locator('[data-testid="cluster-task"][data-state="running"]')
      .last()
      .getByRole("link", { name: /^Terminal in task/ })
      .click();
    await expect(owner).toHaveURL(/\?tab=terminal&task=/);
    await expect(owner.getByTestId("tab-panel-terminal").getByLabel("Task", { exact: true })).toHaveValue(
      new URL(owner.url()).searchParams.get("task")!,
    );
    await owner.getByRole("button", { name: "Open terminal" }).click();
    await expect(owner.getByTestId("terminal-state")).toHaveAttribute("data-phase", "open");
    const terminal = owner.getByTestId("terminal");
    await terminal.click();
    await owner.keyboard.type("echo berth-$((6*7))");
    await owner.keyboard.press("Enter");
    await expect(terminal.locator(".xterm-rows")).toContainText("berth-42");
    await owner.getByRole("button", { name: "Close terminal" }).click();
  });

  await test.step("cleanup: the service, then both servers (the last one takes cluster mode with it)", async () => {
    await deleteService(owner, serviceId, serviceName);
    await owner.goto("/servers");
    for (const name of [b, a]) {
      owner.once("dialog", (dialog) => void dialog.accept());
      await owner.getByTestId(`server-${name}`).getByRole("button", { name: "Remove" }).click();
      await expect(owner.getByTestId(`server-${name}`)).toHaveCount(0, { timeout: 60_000 });
    }
    await expect(owner.getByTestId("cluster-summary")).toContainText("Cluster mode is off");
  });
  if (owner !== page) await owner.close();
});
