import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { containersOfService } from "./support/docker.ts";
import { getThroughProxy, proxyConfigNames } from "./support/proxy.ts";
import { uniqueSuffix } from "./support/unique.ts";

test("add a domain to a deployed service: listed with its DNS record, answering through the proxy", async ({ page }, testInfo) => {
  const id = uniqueSuffix();
  const greeting = `through-the-proxy-${id}`;
  const hostname = `shop-${id}.localhost`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

  await signUp(page);
  await page.goto("/");
  await createProject(page, `Domains ${id}`);
  await submitServiceForm(page, {
    name: `web-${id}`,
    image: "berth-test/hello:latest",
    port: "8080",
    env: [{ key: "GREETING", value: greeting }],
    deploy: false,
  });
  await expect(page.getByRole("heading", { name: `web-${id}`, level: 1 })).toBeVisible();
  const serviceId = serviceIdOf(page);

  const rows = page.getByTestId("domain-row");
  await test.step("the service has its default *.localhost domain", async () => {
    await openTab(page, "Domains");
    await expect(rows.first()).toContainText(`web-${id}-domains-${id}.localhost`);
    await expect(rows.first()).toContainText("default");
  });

  await test.step("deploy", async () => {
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await openTab(page, "Domains");
  });

  const form = page.getByRole("form", { name: "Add a domain" });
  await test.step("an invalid hostname is refused at the field", async () => {
    await form.getByLabel("Domain").fill("not valid!.example.com");
    await form.getByRole("button", { name: "Add domain" }).click();
    await expect(form.getByText(/is not a valid DNS label/)).toBeVisible();
    await expect(rows).toHaveCount(1);
  });

  await test.step("add a domain: listed with the DNS record to create and the live check", async () => {
    await form.getByLabel("Domain").fill(hostname);
    await form.getByRole("button", { name: "Add domain" }).click();
    const row = rows.filter({ hasText: hostname });
    await expect(row).toBeVisible();
    await expect(row.getByTestId("dns-record")).toHaveText(`DNS record: A ${hostname} → 127.0.0.1`);
    await expect(row.getByTestId("dns-check")).toContainText("Local name");
    await expect(row.getByTestId("certificate-status")).toContainText(/HTTPS active|Not issued yet/);
    await shot("01-domains");
  });

  await test.step("the service answers through the proxy for that Host", async () => {
    await expect(async () => {
      const res = await getThroughProxy(hostname);
      expect(res.status).toBe(200);
      expect(res.body).toContain(greeting);
    }).toPass({ timeout: 15_000 });
    // What the check after the delete reads: the name is in Caddy's config while the service lives.
    expect(await proxyConfigNames(hostname)).toBe(true);
  });

  await test.step("the same domain again is a conflict at the field", async () => {
    await form.getByLabel("Domain").fill(hostname);
    await form.getByRole("button", { name: "Add domain" }).click();
    await expect(form.getByText(`${hostname} already routes to a service`)).toBeVisible();
  });

  await test.step("delete the service: its domains go with it, no container is left", async () => {
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Delete web-${id}?` });
    await dialog.getByLabel(`Type web-${id} to confirm`).fill(`web-${id}`);
    await dialog.getByRole("button", { name: "Delete service" }).click();
    await expect(page.getByText("No services yet")).toBeVisible();
    expect(await containersOfService(serviceId)).toEqual([]);
    // The route is gone from the proxy too: read from Caddy's config, not through a request (with
    // the container gone a request fails whether the route is left or not).
    await expect.poll(() => proxyConfigNames(hostname), { timeout: 30_000 }).toBe(false);
  });
});
