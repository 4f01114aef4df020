import { expect, test } from "@playwright/test";
import { startLocalS3, type LocalS3 } from "../../apps/server/test/s3-server.ts";
import { ownerPage, signUp } from "./support/account.ts";
import { backUpNow, fillS3Destination, restoreOver } from "./support/backups.ts";
import { createDatabase, createProject, openTab } from "./support/dashboard.ts";
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
 * MariaDB and Redis in one step each (the local test images in place of the official ones):
 * running, with their connection details; a MariaDB table backed up to S3, dropped and restored
 * through the UI; and a schedule set on the database volume's own backups, still there after a reload.
 */
test("create MariaDB and Redis databases, restore a MariaDB backup, and schedule volume backups", async ({ page, browser }) => {
  test.setTimeout(400_000);
  const id = uniqueSuffix();
  const { owner: isOwner } = await signUp(page);
  // The S3 server is on loopback: only an instance that allows local sources may reach it.
  const owner = isOwner ? page : await ownerPage(browser);
  await setLocalSources(owner, true);
  if (owner !== page) await owner.close();
  await page.goto("/");
  const projectId = await createProject(page, `Engines ${id}`);

  const mariaId = await createDatabase(page, { engine: "mariadb", image: "berth-test/mariadb:11", name: "sql" });
  await expect(page.getByTestId("database-connection")).toContainText(
    "MariaDB database: other services connect with the variable ${{sql.DATABASE_URL}} (mysql://app:…@sql:3306/app)",
  );
  // As the application's user over the container's socket, with the password the service holds.
  const sql = (query: string) => [
    "sh",
    "-c",
    `MYSQL_PWD="$MARIADB_PASSWORD" mariadb --user=app --batch --skip-column-names app -e "${query}"`,
  ];
  const row = `row-${id}`;
  expect(await execInService(mariaId, sql(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('${row}')`))).toBe(0);

  await page.goto(`/services/${mariaId}`);
  const panel = page.getByTestId("backups-panel");
  const destination = panel.getByTestId("backup-destination-form");
  await fillS3Destination(destination, s3, "backups");
  await destination.getByRole("button", { name: "Save destination" }).click();
  await expect(panel.getByTestId("backup-destination-summary")).toContainText("S3 bucket backups");
  const backup = await backUpNow(panel);
  expect(await execInService(mariaId, sql("DROP TABLE t"))).toBe(0);
  await restoreOver(page, backup, "sql");
  const rowIsBack = [
    "sh",
    "-c",
    `test "$(MYSQL_PWD="$MARIADB_PASSWORD" mariadb --user=app --batch --skip-column-names app -e 'SELECT v FROM t')" = '${row}'`,
  ];
  expect(await execInService(mariaId, rowIsBack)).toBe(0);

  // The volume's own backups (Settings): a schedule with retention, kept across a reload.
  await page.goto(`/services/${mariaId}`);
  await openTab(page, "Settings");
  const volumePanel = page.getByTestId("volume-backups-panel").first();
  await volumePanel.getByLabel("Cron expression").fill("not a schedule");
  await volumePanel.getByRole("button", { name: "Save schedule" }).click();
  await expect(volumePanel.getByLabel("Cron expression")).toHaveAttribute("aria-invalid", "true");
  await volumePanel.getByLabel("Cron expression").fill("15 4 * * *");
  await volumePanel.getByLabel("Keep last").fill("3");
  await volumePanel.getByRole("button", { name: "Save schedule" }).click();
  await expect(volumePanel.getByText("Schedule saved.")).toBeVisible();
  await page.reload();
  const reloaded = page.getByTestId("volume-backups-panel").first();
  await expect(reloaded.getByLabel("Cron expression")).toHaveValue("15 4 * * *");
  await expect(reloaded.getByLabel("Keep last")).toHaveValue("3");
  await expect(reloaded.getByTestId("backup-time-zone")).toContainText("Next backup:");

  await page.goto(`/projects/${projectId}`);
  const redisId = await createDatabase(page, { engine: "redis", image: "berth-test/redis:7", name: "cache" });
  await expect(page.getByTestId("database-connection")).toContainText(
    "Redis database: other services connect with the variable ${{cache.REDIS_URL}} (redis://default:…@cache:6379)",
  );
  // It answers to the generated password.
  expect(await execInService(redisId, ["sh", "-c", 'test "$(redis-cli -a "$REDIS_PASSWORD" --no-auth-warning PING)" = PONG'])).toBe(0);

  await deleteService(page, redisId, "cache", { deleteVolumes: true });
  await deleteService(page, mariaId, "sql", { deleteVolumes: true });
});
