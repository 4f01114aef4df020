import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { ownerPage, signUp } from "./support/account.ts";
import { deleteService, runningHelloService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

/**
 * The axe rules a theme can change: a theme only swaps colours (no `dark:` utility in apps/web
 * changes layout or visibility), so every other rule gives the same answer in both themes and
 * runs in the light one only.
 */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/** The stored theme choice of the page's origin, if any. */
async function storedTheme(page: Page): Promise<string | null> {
  return page.evaluate(() => localStorage.getItem("berth-theme"));
}

/** Applies a theme the way the toggle does (stored choice), then reloads so the pre-paint script uses it. */
async function useTheme(page: Page, theme: Theme): Promise<void> {
  if ((await storedTheme(page)) !== theme) {
    await page.evaluate((t) => localStorage.setItem("berth-theme", t), theme);
    await page.reload();
  }
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}

/** No serious or critical axe violation (WCAG 2.x A/AA rules; in dark, the colour ones) on the page as shown; a screenshot of it as an artifact. */
async function checkPage(page: Page, testInfo: TestInfo, name: string, theme: Theme): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const axe = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  const results = await (theme === "light" ? axe : axe.withRules(COLOUR_RULES)).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `${n.target.join(" ")}: ${n.html.slice(0, 120)} -- ${n.failureSummary?.split("\n").slice(1).join(" ").slice(0, 160) ?? ""}`,
        ),
    }));
  const shot = testInfo.outputPath(`${name}-${theme}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach(`${name}-${theme}.png`, { path: shot, contentType: "image/png" });
  // Soft: one run reports every page and theme.
  expect.soft({ page: name, theme, violations: bad }).toEqual({ page: name, theme, violations: [] });
}

/**
 * Visits `path`, waits for its main heading, and checks it in both themes: the stored one first,
 * so the page is loaded twice, not three times.
 */
async function checkBothThemes(page: Page, testInfo: TestInfo, name: string, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(path);
  const order = (await storedTheme(page)) === "dark" ? [...THEMES].reverse() : THEMES;
  for (const theme of order) {
    await useTheme(page, theme);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await checkPage(page, testInfo, name, theme);
  }
}

/** The service this spec created; deleted after the test, also when it failed. */
let created: { serviceId: string; serviceName: string } | null = null;
test.afterEach(async ({ page }) => {
  if (created) await deleteService(page, created.serviceId, created.serviceName);
  created = null;
});

test("every main page passes axe (no serious or critical violation) in light and dark, with screenshots", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(420_000);
  await test.step("signed-out pages", async () => {
    await page.goto("/sign-in");
    await checkBothThemes(page, testInfo, "sign-in", "/sign-in", /sign in/i);
  });

  const { owner } = await signUp(page);
  const { projectId, serviceId, serviceName } = await runningHelloService(page, uniqueSuffix());
  created = { serviceId, serviceName };

  await test.step("sign-up (signed out)", async () => {
    const context = await browser.newContext();
    const anonymous = await context.newPage();
    await anonymous.goto("/sign-up");
    await checkBothThemes(anonymous, testInfo, "sign-up", "/sign-up", /account/i);
    await context.close();
  });

  await test.step("dashboard pages", async () => {
    await checkBothThemes(page, testInfo, "overview", "/", "Projects");
    await checkBothThemes(page, testInfo, "project", `/projects/${projectId}`, `Project ${serviceName.slice("hello-".length)}`);
    await checkBothThemes(page, testInfo, "service", `/services/${serviceId}`, serviceName);
    // Every tab of the service page (deep links), the settings form included.
    for (const tab of ["deployments", "logs", "terminal", "jobs", "variables", "domains", "settings", "webhooks"]) {
      await checkBothThemes(page, testInfo, `service-${tab}`, `/services/${serviceId}?tab=${tab}`, serviceName);
      // The live log's stage progress is part of what axe checked there.
      if (tab === "deployments") await expect(page.getByRole("list", { name: "Deployment stages" })).toBeVisible();
    }
    await checkBothThemes(page, testInfo, "team", "/team", /./);
    await checkBothThemes(page, testInfo, "account", "/account", /account/i);
    await checkBothThemes(page, testInfo, "audit", "/audit", "Audit log");
  });

  await test.step("instance settings (owner)", async () => {
    const settings = owner ? page : await ownerPage(browser);
    await checkBothThemes(settings, testInfo, "settings", "/settings", /settings/i);
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
      const wide = Array.from(document.querySelectorAll<HTMLElement>("body *")).filter(
        (el) => el.getBoundingClientRect().right > width + 1 && !clipped(el),
      );
      return {
        scrollWidth: document.documentElement.scrollWidth,
        widest: wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 120)),
      };
    });
    expect(overflow.scrollWidth, JSON.stringify(overflow.widest)).toBeLessThanOrEqual(375);
    const phone = testInfo.outputPath("service-phone-375.png");
    await page.screenshot({ path: phone, fullPage: true });
    await testInfo.attach("service-phone-375.png", { path: phone, contentType: "image/png" });
  });
});
