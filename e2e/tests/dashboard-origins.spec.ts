import { expect, test, type Browser, type Page } from "@playwright/test";
import { hasOwner, newAccount, ownerPage, signInOn, signUp, type Account } from "./support/account.ts";
import { E2E_DOMAIN, publicOrigin } from "./support/origins.ts";
import { proxy } from "./support/proxy.ts";
import { uniqueSuffix } from "./support/unique.ts";

/**
 * Sign-up and sign-in at every URL that reaches the instance (issue 17): its loopback URL
 * (this run's BERTH_PUBLIC_URL as well), a second name for the host -- `public.berth-e2e.test`,
 * configured as an extra trusted origin and mapped to 127.0.0.1 in Chromium, since tests may not
 * use the host's non-loopback address -- and the dashboard domain the owner sets in Settings,
 * served over HTTPS by the run's edge proxy (Caddy's internal CA, so the context ignores
 * certificate errors) with Secure session cookies and HTTP redirected.
 */
async function signUpAt(browser: Browser, origin: string, account: Account): Promise<void> {
  const context = await browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill(account.name);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(origin);
  await context.close();
}

/** Signs in at `origin` in a fresh context; returns the session cookie it got. */
async function signInAt(browser: Browser, origin: string, account: Account) {
  const context = await browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInOn(page, account);
  expect(new URL(page.url()).origin).toBe(origin);
  const session = (await context.cookies()).find((c) => c.name.endsWith("berth.session_token"));
  await context.close();
  return session;
}

async function setDashboardDomain(owner: Page, value: string): Promise<void> {
  await owner.goto("/settings");
  const field = owner.getByRole("textbox", { name: "Dashboard domain" });
  await field.fill(value);
  await owner.getByRole("region", { name: "Dashboard domain" }).getByRole("button", { name: "Save" }).click();
}

test("sign-up and sign-in at the loopback URL, a second name of the host, and the dashboard domain over HTTPS", async ({
  browser,
  baseURL,
  page,
}) => {
  const port = new URL(baseURL ?? "").port;
  const id = uniqueSuffix();
  const dashboard = `dash-${id}.${E2E_DOMAIN}`;
  const dashboardOrigin = `https://${dashboard}:${proxy.https}`;
  if (!hasOwner()) await signUp(page);
  const owner = await ownerPage(browser);

  try {
    await test.step("the loopback URL (also this run's public URL)", async () => {
      const account = newAccount();
      await signUpAt(browser, `http://127.0.0.1:${port}`, account);
      const session = await signInAt(browser, `http://127.0.0.1:${port}`, account);
      expect(session?.secure).toBe(false);
    });

    await test.step("another name of this host, configured as a trusted origin", async () => {
      const account = newAccount();
      await signUpAt(browser, publicOrigin(port), account);
      await signInAt(browser, publicOrigin(port), account);
    });

    await test.step("the owner sets the dashboard domain in Settings; a URL is refused at the field", async () => {
      await setDashboardDomain(owner, `https://${dashboard}/`);
      await expect(owner.getByRole("textbox", { name: "Dashboard domain" })).toHaveAccessibleDescription(
        /Enter only the hostname, without http:\/\/ or https:\/\//,
      );
      await setDashboardDomain(owner, dashboard.toUpperCase());
      await expect(owner.getByText("Saved. The proxy applies it within a second.")).toBeVisible();
      // Stored normalised, and the links' URL follows.
      await expect(owner.getByRole("textbox", { name: "Dashboard domain" })).toHaveValue(dashboard);
      await expect(owner.getByTestId("dashboard-url")).toContainText(dashboardOrigin);
    });

    await test.step("the dashboard domain over HTTPS through the proxy: sign-up, sign-in, Secure cookies", async () => {
      // The proxy loads the route within a second; the internal CA then issues the certificate.
      // (In Chromium: only its resolver maps the name to 127.0.0.1.)
      const probe = await browser.newContext({ ignoreHTTPSErrors: true });
      const probePage = await probe.newPage();
      await expect
        .poll(async () => (await probePage.goto(`${dashboardOrigin}/healthz`).catch(() => null))?.status() ?? 0, { timeout: 30_000 })
        .toBe(200);
      await probe.close();
      const account = newAccount();
      await signUpAt(browser, dashboardOrigin, account);
      const session = await signInAt(browser, dashboardOrigin, account);
      expect(session?.secure).toBe(true);
      expect(session?.httpOnly).toBe(true);
    });

    await test.step("plain HTTP to the dashboard domain is redirected to HTTPS", async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const plain = await context.newPage();
      const redirects: number[] = [];
      plain.on("response", (r) => {
        if (r.url().startsWith("http://")) redirects.push(r.status());
      });
      await plain.goto(`http://${dashboard}:${proxy.http}/sign-in`);
      expect(redirects).toEqual([308]);
      expect(plain.url()).toBe(`${dashboardOrigin}/sign-in`);
      await expect(plain.getByRole("button", { name: "Sign in" })).toBeVisible();
      await context.close();
    });
  } finally {
    // Later specs read webhook URLs from the page and post to them from Node: leave none on a name only Chromium resolves.
    await setDashboardDomain(owner, "");
    await expect(owner.getByTestId("dashboard-url")).toContainText(`http://127.0.0.1:${port}`);
    await owner.context().close();
  }
});
