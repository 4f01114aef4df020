import { expect, test } from "@playwright/test";
import { hasOwner, ownerPage, signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { containersOfService } from "./support/docker.ts";
import { uniqueSuffix } from "./support/unique.ts";

// Away from the server's zone (UTC here): a date rendered on the server must not break the
// browser's first render of the same page (the hydration check below).
test.use({ timezoneId: "Pacific/Auckland" });

test("overview shows each service's live status; a running container's metrics chart receives live samples and keeps its history", async ({
  page,
  context,
}, testInfo) => {
  const id = uniqueSuffix();
  const running = `live-${id}`;
  const idle = `idle-${id}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

  await signUp(page);
  await page.goto("/");
  const projectId = await createProject(page, `Overview ${id}`);
  await submitServiceForm(page, { name: idle, image: "berth-test/hello:latest", port: "8080", deploy: false });
  await expect(page.getByRole("heading", { name: idle, level: 1 })).toBeVisible();
  await page.goto(`/projects/${projectId}`);
  await submitServiceForm(page, { name: running, image: "berth-test/hello:latest", port: "8080", deploy: false });
  await expect(page.getByRole("heading", { name: running, level: 1 })).toBeVisible();
  const serviceUrl = page.url();
  const serviceId = serviceIdOf(page);

  await test.step("deploy; the metrics chart receives live samples without a reload", async () => {
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await openTab(page, "Overview");
    const cpu = page.getByTestId("service-metrics-cpu");
    await expect.poll(async () => Number(await cpu.getAttribute("data-samples")), { timeout: 20_000 }).toBeGreaterThan(0);
    const first = Number(await cpu.getAttribute("data-samples"));
    await expect.poll(async () => Number(await cpu.getAttribute("data-samples")), { timeout: 15_000 }).toBeGreaterThan(first + 1);
    await expect(page.getByTestId("service-metrics-memory-value")).toContainText(/\d.* of /);
    await expect(cpu.locator("svg path")).toHaveCount(1);
    await shot("01-service-metrics-live");
  });

  const overview = page.getByTestId("overview");
  const row = (name: string) => overview.locator(`[data-testid="overview-service"][data-service="${name}"]`);
  await test.step("the overview lists both services with their live status and last deployment", async () => {
    // Pages the router asks the server to render ahead (RSC requests), by path.
    const rendered: string[] = [];
    const onRequest = (r: { url(): string; headers(): Record<string, string> }) => {
      if (r.headers()["rsc"] === "1") rendered.push(new URL(r.url()).pathname);
    };
    page.on("request", onRequest);
    const errors: string[] = [];
    const onConsole = (m: { type(): string; text(): string }) => {
      if (m.type() === "error") errors.push(m.text());
    };
    page.on("console", onConsole);
    // React reports a recoverable error (such as a hydration mismatch) with window.reportError.
    const onPageError = (e: Error) => errors.push(e.message);
    page.on("pageerror", onPageError);
    await page.goto("/");
    await expect(row(running).getByTestId("overview-status")).toHaveAttribute("data-status", "running");
    await expect(row(running)).toContainText("Succeeded");
    await expect(row(idle).getByTestId("overview-status")).toHaveAttribute("data-status", "not_deployed");
    await expect(row(idle)).toContainText("Never deployed");
    await shot("02-overview");
    // The rows come with the page's HTML (server-rendered first data), and the browser's first
    // render matched it.
    const html = await (await page.request.get("/")).text();
    expect(html).toContain(`data-service="${running}"`);
    expect(html).toContain(`data-service="${idle}"`);
    expect(errors).toEqual([]);
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
    // Links on sight render nothing ahead (next/link would have the server render every page in
    // view: each row's and the top bar's); a pointer over one asks for that page alone.
    await page.waitForTimeout(1500);
    expect(rendered).toEqual([]);
    await row(running).getByRole("link", { name: running }).hover();
    // (The router may ask more than once for it: a refetch re-renders the row under the pointer.)
    await expect.poll(() => rendered.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect([...new Set(rendered)]).toEqual([`/services/${serviceId}`]);
    page.off("request", onRequest);
  });

  await test.step("the project page comes with its services in its HTML, and the browser's first render matches it", async () => {
    // Its own tab: the overview stays open for the next step.
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(`/projects/${projectId}`);
    await expect(tab.getByRole("link", { name: running })).toBeVisible();
    const html = await (await tab.request.get(`/projects/${projectId}`)).text();
    // Rendered rows (links), not only the data handed to the browser's cache; the date in UTC there.
    expect(html).toContain(`href="/services/${serviceId}"`);
    expect(html).not.toContain("Loading project");
    expect(html).toMatch(/ UTC<\/time>/);
    expect(errors).toEqual([]);
    await tab.close();
  });

  await test.step("the service page comes with the service in its HTML on every tab, and the browser's first render matches it", async () => {
    const tabs = ["overview", "deployments", "logs", "terminal", "jobs", "variables", "domains", "settings", "webhooks", "previews"];
    for (const name of tabs) {
      const path = name === "overview" ? `/services/${serviceId}` : `/services/${serviceId}?tab=${name}`;
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on("console", (m) => {
        if (m.type() === "error") errors.push(`${path}: ${m.text()}`);
      });
      tab.on("pageerror", (e) => errors.push(`${path}: ${e.message}`));
      await tab.goto(path);
      await expect(tab.getByRole("heading", { name: running, level: 1 })).toBeVisible();
      await expect(tab.getByTestId(`tab-panel-${name}`)).toBeVisible();
      const html = await (await tab.request.get(path)).text();
      // The rendered page (its heading; a deployment's date in UTC where the tab shows one), not "Loading service".
      expect(html).toMatch(new RegExp(`<h1[^>]*>${running}</h1>`));
      expect(html).not.toContain("Loading service");
      if (name === "overview" || name === "deployments") expect(html).toMatch(/ UTC<\/time>/);
      expect(errors).toEqual([]);
      await tab.close();
    }
  });

  await test.step("a change elsewhere reaches the open overview live", async () => {
    const other = await context.newPage();
    await other.goto(serviceUrl);
    await other.getByRole("button", { name: "Stop" }).click();
    await expect(other.getByTestId("service-status")).toHaveAttribute("data-status", /^(stopped|exited)$/, { timeout: 30_000 });
    // The overview page was not reloaded: the stop arrives over socket.io (the fallback poll is 15 s).
    await expect(row(running).getByTestId("overview-status")).toHaveAttribute("data-status", "stopped", { timeout: 10_000 });
    await other.close();
  });

  await test.step("after a reload the chart starts from the stored last hour", async () => {
    await page.goto(serviceUrl);
    await expect
      .poll(async () => Number(await page.getByTestId("service-metrics-cpu").getAttribute("data-samples")), { timeout: 15_000 })
      .toBeGreaterThan(0);
  });

  await test.step("clean up: delete the running service", async () => {
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Delete ${running}?` });
    await dialog.getByLabel(`Type ${running} to confirm`).fill(running);
    await dialog.getByRole("button", { name: "Delete service" }).click();
    await expect(page).toHaveURL(new RegExp(`/projects/${projectId}$`));
    expect(await containersOfService(serviceId)).toEqual([]);
  });
});

test("the instance owner sees the host's live metrics and disk use; reclaiming lists what it would remove before removing anything", async ({
  page,
  browser,
}, testInfo) => {
  // On a fresh instance the first account is the owner; otherwise an earlier spec signed it up.
  if (!hasOwner()) await signUp(page);
  const owner = await ownerPage(browser);
  try {
    await owner.goto("/");
    const host = owner.getByRole("region", { name: "Host" });
    await expect(host.getByTestId("host-disk")).toContainText(/\d+(\.\d)?% used · .* free/);
    const cpu = host.getByTestId("host-metrics-cpu");
    await expect.poll(async () => Number(await cpu.getAttribute("data-samples")), { timeout: 20_000 }).toBeGreaterThan(0);
    const first = Number(await cpu.getAttribute("data-samples"));
    await expect.poll(async () => Number(await cpu.getAttribute("data-samples")), { timeout: 15_000 }).toBeGreaterThan(first);

    await host.getByRole("button", { name: "Reclaim space…" }).click();
    const dialog = owner.getByRole("dialog", { name: "Reclaim disk space" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText("Volumes are never touched")).toBeVisible();
    // The dry run's listing (or that there is nothing to remove) comes first; nothing is removed yet.
    await expect(dialog.getByTestId("reclaim-preview").or(dialog.getByText("Nothing to reclaim right now."))).toBeVisible();
    await owner.screenshot({ path: testInfo.outputPath("03-reclaim-preview.png"), fullPage: true });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  } finally {
    await owner.context().close();
  }
});
