import { expect, type Locator, type Page } from "@playwright/test";
import type { LocalS3 } from "../../../apps/server/test/s3-server.ts";

/** In a backups panel's destination form: the local S3 server's endpoint and keys, and `bucket`. */
export async function fillS3Destination(destination: Locator, s3: LocalS3, bucket: string): Promise<void> {
  await destination.getByLabel("Endpoint").fill(s3.endpoint);
  await destination.getByLabel("Bucket").fill(bucket);
  await destination.getByLabel("Access key ID").fill(s3.accessKeyId);
  await destination.getByLabel("Secret access key").fill(s3.secretAccessKey);
}

/** Back up now and wait for the new backup to succeed; returns its row. */
export async function backUpNow(panel: Locator): Promise<Locator> {
  await panel.getByRole("button", { name: "Back up now" }).click();
  const backup = panel.getByTestId("backup-row").first();
  await expect(backup).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  return backup;
}

/** Restore `backup` over its database, confirming the dialog that names what it overwrites. */
export async function restoreOver(page: Page, backup: Locator, databaseName: string): Promise<void> {
  await backup.getByRole("button", { name: "Restore" }).click();
  const dialog = page.getByTestId("restore-dialog");
  await expect(dialog).toContainText(`This overwrites the database ${databaseName} with the backup of`);
  await dialog.getByRole("button", { name: "Restore and overwrite" }).click();
  await expect(dialog.getByTestId("restore-done")).toBeVisible({ timeout: 60_000 });
}
