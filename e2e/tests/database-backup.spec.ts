import { expect, test } from "@playwright/test";
import { startLocalS3, type LocalS3 } from "../../apps/server/test/s3-server.ts";
import { ownerPage, signUp } from "./support/account.ts";
import { createPostgresDatabase, createProject, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { backUpNow, fillS3Destination, restoreOver } from "./support/backups.ts";
import { execInService } from "./support/docker.ts";
import { deleteService } from "./support/service.ts";
import { setLocalSources } from "./support/settings.ts";
import { uniqueSuffix } from "./support/unique.ts";

let s3: LocalS3;
test.beforeAll(async () => {
  s3 = await startLocalS3(["backups"]);
});
test.afterAll(async () => {
  await s3?.close();
});

/**
 * The whole loop in Chromium: a PostgreSQL database, a service writing rows to it through
 * `${{db.DATABASE_URL}}`, a backup to an S3 server started here (s3rver on 127.0.0.1), the
 * table dropped, a restore (confirmed in a dialog naming what it overwrites), the rows back.
 */
test("back up a PostgreSQL database to S3, drop the table, restore it, and see the rows again", async ({ page, request, browser }) => {
  test.setTimeout(300_000);
  const id = uniqueSuffix();
  const { owner: isOwner } = await signUp(page);
  // The S3 server is on loopback: only an instance that allows local sources may reach it.
  const owner = isOwner ? page : await ownerPage(browser);
  await setLocalSources(owner, true);
  if (owner !== page) await owner.close();
  await page.goto("/");
  const projectId = await createProject(page, `Backups ${id}`);

  const dbId = await createPostgresDatabase(page);

  await page.goto(`/projects/${projectId}`);
  await submitServiceForm(page, {
    name: "api",
    image: "berth-test/app:latest",
    port: "8080",
    env: [{ key: "DATABASE_URL", value: "${{db.DATABASE_URL}}" }],
  });
  await expect(page.getByRole("heading", { name: "api", level: 1 })).toBeVisible();
  const apiId = serviceIdOf(page);
  await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 120_000 });
  const url = `${(await page.getByTestId("service-url").textContent())?.trim()}/cgi-bin/rows`;
  for (const row of [`alpha-${id}`, `beta-${id}`])
    expect((await request.post(url, { data: row, headers: { "content-type": "text/plain" } })).status()).toBe(200);
  expect(await (await request.get(url)).text()).toBe(`alpha-${id}\nbeta-${id}\n`);

  await page.goto(`/services/${dbId}`);
  const panel = page.getByTestId("backups-panel");
  await expect(panel.getByTestId("backup-time-zone")).toContainText("time zone");
  const destination = panel.getByTestId("backup-destination-form");
  await fillS3Destination(destination, s3, "nope");
  await destination.getByRole("button", { name: "Test connection" }).click();
  await expect(destination.getByLabel("Bucket")).toHaveAccessibleDescription("Bucket nope does not exist");
  await destination.getByLabel("Bucket").fill("backups");
  await destination.getByRole("button", { name: "Test connection" }).click();
  await expect(destination.getByTestId("destination-test-ok")).toHaveText("Bucket backups is reachable and writable");
  await destination.getByRole("button", { name: "Save destination" }).click();
  await expect(panel.getByTestId("backup-destination-summary")).toContainText("S3 bucket backups");

  const backup = await backUpNow(panel);

  expect(await execInService(dbId, ["psql", "-X", "-q", "-U", "app", "-d", "app", "-c", "DROP TABLE rows"])).toBe(0);
  expect(await (await request.get(url)).text()).toBe("");

  await restoreOver(page, backup, "db");
  expect(await (await request.get(url)).text()).toBe(`alpha-${id}\nbeta-${id}\n`);

  await page.goto(`/services/${apiId}`);
  await deleteService(page, apiId, "api");
  await deleteService(page, dbId, "db", { deleteVolumes: true });
});
