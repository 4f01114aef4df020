import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createProject, highestHelloLine, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { containersOfService } from "./support/docker.ts";
import { uniqueSuffix } from "./support/unique.ts";

test("sign up, deploy an image, reach it, follow its logs, stop and delete it", async ({ page, request }, testInfo) => {
  const id = uniqueSuffix();
  const greeting = `greetings-from-e2e-${id}`;
  const projectName = `Slice ${id}`;
  const serviceName = `hello-${id}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

  await test.step("sign up", async () => {
    await signUp(page);
    await page.goto("/");
    await shot("01-projects");
  });

  const projectId = await test.step("create a project", () => createProject(page, projectName));

  const serviceId = await test.step("create a service", async () => {
    // "Deploy now" unticked: this spec deploys with the page's Deploy button.
    await submitServiceForm(page, {
      name: serviceName,
      image: "berth-test/hello:latest",
      port: "8080",
      env: [{ key: "GREETING", value: greeting }],
      deploy: false,
    });
    await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
    return serviceIdOf(page);
  });

  const status = page.getByTestId("service-status");
  await test.step("deploy and wait for running", async () => {
    await expect(status).toHaveAttribute("data-status", "not_deployed");
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    // Deploy opens the Deployments tab and its live log.
    await expect(page).toHaveURL(/\?tab=deployments$/);
    await expect(page.getByTestId("build-log-panel")).toBeVisible();
    await expect(status).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await expect(page.getByTestId("deployment-row").first()).toHaveAttribute("data-status", "succeeded");
    expect(await containersOfService(serviceId), "the running release carries the service label").not.toHaveLength(0);
  });

  await test.step("the URL on the page serves the configured greeting", async () => {
    await openTab(page, "Overview");
    const url = (await page.getByTestId("service-url").textContent())?.trim() ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(async () => {
      const response = await request.get(url);
      expect(response.status()).toBe(200);
      expect(await response.text()).toContain(greeting);
    }).toPass({ timeout: 15_000 });
  });

  await test.step("new log lines arrive live, without a reload", async () => {
    await openTab(page, "Logs");
    const panel = page.getByTestId("log-panel");
    await expect(panel).toContainText(/hello line \d+/, { timeout: 20_000 });
    await page.evaluate(() => Object.assign(window, { __berthNoReload: true }));
    const first = highestHelloLine(await panel.innerText());
    await expect.poll(async () => highestHelloLine(await panel.innerText()), { timeout: 15_000 }).toBeGreaterThan(first + 1);
    expect(await page.evaluate(() => (window as unknown as { __berthNoReload?: boolean }).__berthNoReload)).toBe(true);
    await expect(panel.locator('[data-stream="stderr"]').first()).toBeVisible();
    await shot("02-service-running");
  });

  await test.step("stop", async () => {
    await openTab(page, "Overview");
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(status).toHaveAttribute("data-status", /^(stopped|exited)$/, { timeout: 30_000 });
    await expect(page.getByTestId("service-url")).toHaveCount(0);
    await shot("03-service-stopped");
  });

  await test.step("delete, confirming with the service name", async () => {
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Delete ${serviceName}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Delete service" })).toBeDisabled();
    await dialog.getByLabel(`Type ${serviceName} to confirm`).fill(serviceName);
    await dialog.getByRole("button", { name: "Delete service" }).click();
    await expect(page).toHaveURL(new RegExp(`/projects/${projectId}$`));
    await expect(page.getByRole("heading", { name: projectName, level: 1 })).toBeVisible();
    await expect(page.getByText("No services yet")).toBeVisible();
    await expect(page.getByRole("link", { name: serviceName })).toHaveCount(0);
  });

  await test.step("no container of the service is left on the engine", async () => {
    expect(await containersOfService(serviceId)).toEqual([]);
  });
});
