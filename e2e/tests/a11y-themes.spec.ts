import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ownerPage, signUp } from "./support/account.ts";
import { deleteService, runningHelloService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

/**
 * Stores a theme the way the toggle does (its stored choice, per origin and browser context); the
 * next page load's pre-paint script applies it. No reload here: the next visit loads the page.
 */
async function storeTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate((t) => localStorage.setItem("berth-theme", t), theme);
}

/** No serious or critical axe violation (WCAG 2.x A/AA rules) on the page as shown; a screenshot of it as an artifact. */
async function checkPage(page: Page, testInfo: TestInfo, name: string, theme: Theme): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.html.slice(0, 120)} -- ${n.failureSummary?.split("\n").slice(1).join(" ").slice(0, 160) ?? ""}`) }));
  const shot = testInfo.outputPath(`${name}-${theme}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach(`${name}-${theme}.png`, { path: shot, contentType: "image/png" });
  // Soft: one run reports every page and theme.
  expect.soft({ page: name, theme, violations: bad }).toEqual({ page: name, theme, violations: [] });
}

/** A page to check: its name (screenshots), path and main heading. */
interface Visit {
  name: string;
  path: string;
  heading: string | RegExp;
  /** Checked after axe, on the page as loaded. */
  also?: (page: Page) => Promise<void>;
}

/**
 * Checks every visit in both themes: the theme is stored once per theme, then each page is loaded
 * once in it (the pre-paint script applies the stored theme on load, as on a real visit), so each
 * page costs one load per theme.
 */
async function checkBothThemes(page: Page, testInfo: TestInfo, visits: Visit[]): Promise<void> {
  for (const theme of THEMES) {
    await storeTheme(page, theme);
    for (const visit of visits) {
      await page.goto(visit.path);
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await expect(page.getByRole("heading", { name: visit.heading, level: 1 })).toBeVisible();
      await checkPage(page, testInfo, visit.name, theme);
      await visit.also?.(page);
    }
  }
}

/** The service this spec created; deleted after the test, also when it failed. */
let created: { serviceId: string; serviceName: string } | null = null;
test.afterEach(async ({ page }) => {
  if (created) await deleteService(page, created.serviceId, created.serviceName);
  created = null;
});

test("every main page passes axe (no serious or critical violation) in light and dark, with screenshots", async ({ page, browser }, testInfo) => {
  test.setTimeout(420_000);
  await test.step("signed-out pages", async () => {
    await page.goto("/sign-in");
    await checkBothThemes(page, testInfo, [{ name: "sign-in", path: "/sign-in", heading: /sign in/i }]);
  });

  const { owner } = await signUp(page);
  const { projectId, serviceId, serviceName } = await runningHelloService(page, uniqueSuffix());
  created = { serviceId, serviceName };

  await test.step("sign-up (signed out)", async () => {
    const context = await browser.newContext();
    const anonymous = await context.newPage();
    await anonymous.goto("/sign-up");
    await checkBothThemes(anonymous, testInfo, [{ name: "sign-up", path: "/sign-up", heading: /account/i }]);
    await context.close();
  });

  await test.step("dashboard pages", async () => {
    const tabs = ["deployments", "logs", "terminal", "jobs", "variables", "domains", "settings", "webhooks"];
    await checkBothThemes(page, testInfo, [
      { name: "overview", path: "/", heading: "Projects" },
      { name: "project", path: `/projects/${projectId}`, heading: `Project ${serviceName.slice("hello-".length)}` },
      { name: "service", path: `/services/${serviceId}`, heading: serviceName },
      // Every tab of the service page (deep links), the settings form included.
      ...tabs.map((tab): Visit => ({
        name: `service-${tab}`,
        path: `/services/${serviceId}?tab=${tab}`,
        heading: serviceName,
        // The live log's stage progress is part of what axe checked there.
        ...(tab === "deployments" ? { also: (p: Page) => expect(p.getByRole("list", { name: "Deployment stages" })).toBeVisible() } : {}),
      })),
      { name: "team", path: "/team", heading: /./ },
      { name: "account", path: "/account", heading: /account/i },
      { name: "audit", path: "/audit", heading: "Audit log" },
    ]);
  });

  await test.step("instance settings (owner)", async () => {
    const settings = owner ? page : await ownerPage(browser);
    await checkBothThemes(settings, testInfo, [{ name: "settings", path: "/settings", heading: /settings/i }]);
    if (!owner) await settings.context().close();
  });

  await test.step("the theme follows the system when none is chosen, and the choice persists", async () => {
    await page.evaluate(() => localStorage.removeItem("berth-theme"));
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await page.getByLabel("Theme").selectOption("light");
    await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`/services/${serviceId}`);
    await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
    // The page itself never scrolls sideways (wide tables and logs scroll inside their own box).
    const overflow = await page.evaluate(() => {
      const width = window.innerWidth;
      const clipped = (el: HTMLElement) => {
        for (let a = el.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
        return false;
      };
      const wide = Array.from(document.querySelectorAll<HTMLElement>("body *")).filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el));
      return { scrollWidth: document.documentElement.scrollWidth, widest: wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 120)) };
    });
    expect(overflow.scrollWidth, JSON.stringify(overflow.widest)).toBeLessThanOrEqual(375);
    const phone = testInfo.outputPath("service-phone-375.png");
    await page.screenshot({ path: phone, fullPage: true });
    await testInfo.attach("service-phone-375.png", { path: phone, contentType: "image/png" });
  });
});
