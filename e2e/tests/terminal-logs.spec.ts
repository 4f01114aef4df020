import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { openTab } from "./support/dashboard.ts";
import { deleteService, runningHelloService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

/** The service this spec created; deleted after the test, also when it failed. */
let created: { serviceId: string; serviceName: string } | null = null;
test.afterEach(async ({ page }) => {
  if (created) await deleteService(page, created.serviceId, created.serviceName);
  created = null;
});

test("the runtime log view filters, pauses and downloads; the terminal runs a command and shows its output", async ({ page }, testInfo) => {
  await signUp(page);
  created = await runningHelloService(page, uniqueSuffix());
  const { serviceName } = created;
  await openTab(page, "Logs");
  const log = page.getByTestId("log-panel");
  const rows = log.locator("[data-stream]");

  await test.step("filter by text and by stream", async () => {
    await expect(log).toContainText(/hello line \d+/, { timeout: 20_000 });
    await expect.poll(() => rows.count()).toBeGreaterThan(6);
    await page.getByLabel("Filter logs").fill("line 3");
    await expect(log.locator("mark").first()).toHaveText("line 3");
    for (const text of await rows.allInnerTexts()) expect(text).toContain("line 3");
    await expect(page.getByTestId("log-count")).toHaveText(/^\d[\d,]* of \d[\d,]* lines$/);
    await page.getByLabel("Filter logs").fill("");
    await page.getByLabel("Stream").selectOption("stderr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-stream"))))).toEqual(new Set(["stderr"]));
    await page.getByLabel("Stream").selectOption("all");
  });

  await test.step("pause freezes the view, resume follows again", async () => {
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByTestId("log-count")).toHaveText(/^Paused/);
    const frozen = await log.innerText();
    await page.waitForTimeout(1500); // the image prints a line every 0.5 s
    expect(await log.innerText()).toBe(frozen);
    await page.getByRole("button", { name: "Resume" }).click();
    await expect.poll(async () => (await log.innerText()) !== frozen, { timeout: 10_000 }).toBe(true);
  });

  await test.step("since-time and download", async () => {
    await page.getByLabel("Since").selectOption({ label: "Last 15 minutes" });
    await expect(page.getByTestId("log-stream-state")).toHaveAttribute("data-phase", "live");
    await expect.poll(async () => Number(await log.getAttribute("data-lines"))).toBeGreaterThan(2);
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    const file = await (await downloading).path();
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^\S+ (stdout|stderr) hello line \d+$/m);
    expect(text).toContain(" stdout hello line 1\n");
  });

  await test.step("open a terminal and run a command", async () => {
    await openTab(page, "Terminal");
    await page.getByRole("button", { name: "Open terminal" }).click();
    await expect(page.getByTestId("terminal-state")).toHaveAttribute("data-phase", "open");
    const terminal = page.getByTestId("terminal");
    await terminal.click();
    await page.keyboard.type("echo berth-$((6*7))");
    await page.keyboard.press("Enter");
    await expect(terminal.locator(".xterm-rows")).toContainText("berth-42");
    await page.screenshot({ path: testInfo.outputPath("terminal.png"), fullPage: true });
    // Not a keyboard trap: Shift+Tab leaves the terminal.
    await page.keyboard.press("Shift+Tab");
    await expect
      .poll(() => page.evaluate(() => document.activeElement !== null && document.activeElement.closest(".xterm") === null))
      .toBe(true);
    await terminal.click();
    await page.keyboard.type("exit");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("terminal-state")).toHaveText("Closed: The shell exited");
  });

  await test.step("opening and closing the terminal are in the audit log", async () => {
    await page.goto("/audit");
    await page.getByLabel("Action").selectOption({ label: "Terminal sessions" });
    await expect(page.locator('[data-testid="audit-row"][data-action="terminal.open"]').first()).toContainText(`service: ${serviceName}`);
    await expect(page.locator('[data-testid="audit-row"][data-action="terminal.close"]').first()).toContainText("The shell exited");
  });
});
