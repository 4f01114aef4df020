import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { tagImage, untagImage } from "./support/docker.ts";
import { restartBerth } from "./support/server.ts";
import { deleteService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

/**
 * A real application in the dashboard: `db` (the local PostgreSQL image, TCP, a volume at its data
 * directory), `api` (reads and writes a table in `db`, by name) and `web` (calls `api` by name),
 * all on the project's private network. A row written through `web` survives a redeploy, a
 * rollback and a stop/start of `db`, and a restart of Berth; `web`'s image tag and port change in Settings; a worker
 * without a port runs. (berth-test/app carries the two CGIs: /cgi-bin/rows and /cgi-bin/relay.)
 */
const PASSWORD = "e2e-db-password";
const created: { serviceId: string; serviceName: string }[] = [];
let extraTag = "";

test.afterEach(async ({ page }) => {
  // Only db has a volume: the dialog offers to delete volumes only when there are some.
  for (const s of created.splice(0).reverse())
    await deleteService(page, s.serviceId, s.serviceName, { deleteVolumes: s.serviceName === "db" });
  if (extraTag) await untagImage(extraTag);
});

async function createRunning(page: Page, projectId: string, form: Parameters<typeof submitServiceForm>[1]): Promise<string> {
  await page.goto(`/projects/${projectId}`);
  await submitServiceForm(page, form);
  // Exact: the project's heading ("Shop <suffix>") may contain "db" or "api" as a substring.
  await expect(page.getByRole("heading", { name: form.name, level: 1, exact: true })).toBeVisible();
  const serviceId = serviceIdOf(page);
  created.push({ serviceId, serviceName: form.name });
  if (form.deploy !== false)
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 120_000 });
  return serviceId;
}

/** What web's relay answers (the rows api read from db), through the service's URL. */
async function relay(page: Page, request: APIRequestContext, webId: string, post?: string): Promise<string> {
  await page.goto(`/services/${webId}?tab=overview`);
  const url = (await page.getByTestId("service-url").textContent())?.trim() ?? "";
  expect(url).toMatch(/^http/);
  const response =
    post === undefined
      ? await request.get(`${url}/cgi-bin/relay`)
      : await request.post(`${url}/cgi-bin/relay`, { data: post, headers: { "content-type": "text/plain" } });
  expect(response.status()).toBe(200);
  return response.text();
}

async function latestDeploymentSucceeds(page: Page, count: number): Promise<void> {
  const rows = page.getByTestId("deployment-row");
  await expect(rows).toHaveCount(count, { timeout: 20_000 });
  await expect(rows.first()).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
}

test("a two-tier app with a database: reach by name, keep the data, edit and scale down to a worker", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(600_000);
  const id = uniqueSuffix();
  const row = `row-${id}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await signUp(page);
  await page.goto("/");
  const projectId = await createProject(page, `Shop ${id}`);
  const settings = page.getByRole("form", { name: "Service settings" });

  const dbId = await test.step("db: PostgreSQL as a TCP service with a volume at its data directory", async () => {
    const serviceId = await createRunning(page, projectId, {
      name: "db",
      image: "berth-test/postgres:15",
      kind: "TCP",
      port: "5432",
      env: [{ key: "POSTGRES_PASSWORD", value: PASSWORD }],
      deploy: false,
    });
    await openTab(page, "Settings");
    await settings.getByRole("button", { name: "Add volume" }).click();
    await settings.getByLabel("Volume 1 name").fill("pgdata");
    await settings.getByLabel("Volume 1 mount path").fill("/var/lib/postgresql/data");
    await settings.getByRole("button", { name: "Save and deploy" }).click();
    await latestDeploymentSucceeds(page, 1);
    await openTab(page, "Overview");
    await expect(page.getByTestId("internal-address")).toContainText("db:5432");
    return serviceId;
  });

  await test.step("api and web find each other by name", async () => {
    await createRunning(page, projectId, {
      name: "api",
      image: "berth-test/app:latest",
      port: "8080",
      env: [{ key: "DATABASE_URL", value: `postgresql://postgres:${PASSWORD}@db:5432/postgres` }],
    });
  });
  const webId = await createRunning(page, projectId, {
    name: "web",
    image: "berth-test/app:latest",
    port: "8080",
    env: [{ key: "API_URL", value: "http://api:8080" }],
  });

  await test.step("a row inserted through web is read back through web", async () => {
    expect(await relay(page, request, webId, row)).toContain(row);
    expect(await relay(page, request, webId)).toContain(row);
    await shot("01-row-through-web");
  });

  await test.step("redeploy db (stop-first, the default with a volume): the row is still there", async () => {
    await page.goto(`/services/${dbId}?tab=deployments`);
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await latestDeploymentSucceeds(page, 2);
    await expect.poll(() => relay(page, request, webId), { timeout: 30_000 }).toContain(row);
  });

  await test.step("roll db back to release 1: the row is still there", async () => {
    await page.goto(`/services/${dbId}?tab=deployments`);
    await page.getByRole("button", { name: "Roll back to #1" }).first().click();
    await page.getByRole("dialog", { name: "Roll back to release #1?" }).getByRole("button", { name: "Roll back", exact: true }).click();
    await latestDeploymentSucceeds(page, 3);
    await expect.poll(() => relay(page, request, webId), { timeout: 30_000 }).toContain(row);
  });

  await test.step("stop and start db: the row is still there", async () => {
    await page.goto(`/services/${dbId}`);
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
    expect(await relay(page, request, webId)).not.toContain(row);
    await page.goto(`/services/${dbId}`);
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
    await expect.poll(() => relay(page, request, webId), { timeout: 30_000 }).toContain(row);
    await shot("02-row-after-stop-start");
  });

  await test.step("restart Berth: db keeps running and the row is still there", async () => {
    await restartBerth();
    await page.goto(`/services/${dbId}`);
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
    await expect.poll(() => relay(page, request, webId), { timeout: 30_000 }).toContain(row);
  });

  await test.step("edit web's image tag and port in Settings and deploy", async () => {
    extraTag = `berth-test/app:e2e-${id}`;
    await tagImage("berth-test/app:latest", extraTag);
    await page.goto(`/services/${webId}?tab=settings`);
    await settings.getByLabel("Image", { exact: true }).fill(extraTag);
    await settings.getByLabel("Container port").fill("8081");
    await settings.getByLabel("Start command").fill("httpd -f -p 8081 -h /www");
    await settings.getByRole("button", { name: "Save and deploy" }).click();
    await latestDeploymentSucceeds(page, 2);
    await openTab(page, "Overview");
    await expect(page.getByTestId("internal-address")).toContainText("web:8081");
    await expect.poll(() => relay(page, request, webId), { timeout: 30_000 }).toContain(row);
  });

  await test.step("a worker without a port runs", async () => {
    await createRunning(page, projectId, { name: "jobs", image: "berth-test/app:latest", kind: "Worker" });
    await shot("03-worker");
  });
});
