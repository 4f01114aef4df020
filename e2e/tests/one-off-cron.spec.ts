import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { openTab } from "./support/dashboard.ts";
import { deleteService, runningHelloService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

/** The service this spec created; deleted after the test (with its cron jobs and runs), also when it failed. */
let created: { serviceId: string; serviceName: string } | null = null;
test.afterEach(async ({ page }) => {
  if (created) await deleteService(page, created.serviceId, created.serviceName);
  created = null;
});

test("runs a one-off command and shows its output; a cron job runs on schedule and shows its history", async ({ page }) => {
  await signUp(page);
  created = await runningHelloService(page, uniqueSuffix());
  await openTab(page, "Run & cron");

  await test.step("run a one-off command: live output, exit code, history", async () => {
    await page
      .getByTestId("tab-panel-jobs")
      .getByRole("textbox", { name: "Command", exact: true })
      .fill('echo "one-off in $(hostname)"; echo to-stderr >&2; exit 3');
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("run-output")).toContainText(/one-off in \S+/, { timeout: 30_000 });
    await expect(page.getByTestId("run-output")).toContainText("to-stderr");
    await expect(page.getByTestId("run-status")).toHaveText(/^Failed · exit code 3 · /, { timeout: 30_000 });
    await expect(page.getByTestId("run-history").getByTestId("run-row-summary").first()).toHaveText(/^Failed · exit code 3/);
  });

  await test.step("a bad schedule is refused at its field", async () => {
    await page.getByRole("button", { name: "New cron job" }).click();
    const form = page.getByTestId("cron-form");
    await form.getByLabel("Name", { exact: true }).fill("tick");
    await form.getByLabel("Schedule", { exact: true }).fill("61 * * * *");
    await form.getByLabel("Command", { exact: true }).fill("echo cron-tick");
    await form.getByRole("button", { name: "Create cron job" }).click();
    await expect(form.getByText("Not a valid cron expression: Invalid value for minute: 61")).toBeVisible();
  });

  await test.step("an every-second job runs and its history shows the run's output", async () => {
    const form = page.getByTestId("cron-form");
    await form.getByLabel("Schedule", { exact: true }).fill("*/2 * * * * *");
    await form.getByRole("button", { name: "Create cron job" }).click();
    await expect(form).toBeHidden();
    const job = page.getByTestId("cron-job").filter({ hasText: "tick" });
    await expect(job).toContainText(/\*\/2 \* \* \* \* \* \(.+\) · echo cron-tick/);
    await job.getByRole("button", { name: "History" }).click();
    const history = job.getByTestId("cron-history");
    await expect(history.getByTestId("run-row-summary").first()).toHaveText(/^Succeeded · exit code 0/, { timeout: 30_000 });
    await history.getByRole("button").filter({ hasText: "Succeeded" }).first().click();
    await expect(job.getByTestId("run-output")).toHaveText("cron-tick\n");
  });
});
