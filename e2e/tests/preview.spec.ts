import { expect, test } from "@playwright/test";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../apps/server/test/git-fixture.ts";
import { providerHeaders, pullRequestFixture } from "../../apps/server/test/webhook-fixtures.ts";
import { ownerPage, signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, submitGitServiceForm } from "./support/dashboard.ts";
import { proxy, proxyConfigNames } from "./support/proxy.ts";
import { deleteService } from "./support/service.ts";
import { setLocalSources } from "./support/settings.ts";
import { uniqueSuffix } from "./support/unique.ts";

let fixture: GitFixture;

test.beforeAll(async () => {
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("main-branch-release") });
});

test.afterAll(async () => {
  await fixture.close();
});

test("preview deployments: a replayed pull request webhook opens a preview served through the edge proxy; closing the PR removes it", async ({
  page,
  request,
  browser,
}, testInfo) => {
  test.setTimeout(300_000);
  const id = uniqueSuffix();
  const serviceName = `pv-${id}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

  const { owner: isOwner } = await test.step("sign up", () => signUp(page));
  const owner = isOwner ? page : await ownerPage(browser);
  await setLocalSources(owner, true);

  const serviceId = await test.step("create a git service (not deployed)", async () => {
    await page.goto("/");
    await createProject(page, `Previews ${id}`);
    await submitGitServiceForm(page, { name: serviceName, url: fixture.url, branch: "main", deploy: false });
    await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
    return serviceIdOf(page);
  });

  const { url, secret } = await test.step("generate the webhook secret", async () => {
    await openTab(page, "Webhooks");
    const hooks = page.getByTestId("hooks-panel");
    await hooks.getByRole("button", { name: "Generate secret" }).click();
    return { secret: await hooks.getByTestId("webhook-secret").inputValue(), url: await hooks.getByTestId("webhook-url").inputValue() };
  });

  await test.step("previews are off by default, forks too, and the page says why forks stay off; a bad limit is refused at its field", async () => {
    await openTab(page, "Previews");
    const settings = page.getByTestId("preview-settings");
    await expect(page.getByTestId("no-previews")).toBeVisible();
    await expect(settings.getByLabel("Deploy a preview of each pull request")).not.toBeChecked();
    await expect(settings.getByLabel("Also from forks")).not.toBeChecked();
    await expect(settings).toContainText(
      "a pull request from a fork runs code anyone can write, with this service's variables and secrets",
    );
    await settings.getByLabel("Deploy a preview of each pull request").check();
    await settings.getByLabel("At most this many previews at once").fill("0");
    await settings.getByRole("button", { name: "Save preview settings" }).click();
    await expect(settings.getByLabel("At most this many previews at once")).toHaveAttribute("aria-invalid", "true");
    await expect(settings).toContainText("At least 1");
    await settings.getByLabel("At most this many previews at once").fill("2");
    await settings.getByRole("button", { name: "Save preview settings" }).click();
    await expect(settings.getByRole("status")).toHaveText(/Saved/);
  });

  const number = 7;
  const branch = `feature-${id}`;
  const headSha = fixture.commit({ Dockerfile: helloDockerfile(`preview-of-pr-${id}`) }, "the PR's change", branch);

  const link =
    await test.step("a signed pull_request 'opened' delivery deploys the PR head; its row shows the status and the link", async () => {
      const { event, body } = pullRequestFixture("github", "opened", { number, sha: headSha, branch });
      const raw = Buffer.from(JSON.stringify(body));
      const res = await request.post(url, {
        headers: providerHeaders("github", raw, secret, { deliveryId: `e2e-pr-${id}-1`, event }),
        data: raw,
      });
      expect(res.status()).toBe(202);
      expect(await res.json()).toMatchObject({ deployed: true, pullRequest: number });
      const row = page.getByTestId("preview-row");
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(`#${number}`);
      await expect(row).toContainText(headSha.slice(0, 12));
      await expect(row.getByTestId("preview-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
      const href = await row.getByTestId("preview-link").getAttribute("href");
      expect(href).toBe(`https://pr-${number}-${serviceName}.localhost`);
      await shot("01-preview-open");
      return href!;
    });

  await test.step("open the preview's link through the edge proxy: the PR head's content", async () => {
    // The run's Caddy listens on its own HTTPS port; *.localhost is loopback in Chromium.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const tab = await context.newPage();
    const target = `${link}:${proxy.https}/`;
    await expect(async () => {
      const response = await tab.goto(target);
      expect(response?.status()).toBe(200);
      await expect(tab.getByRole("heading", { level: 1 })).toHaveText(`preview-of-pr-${id}`, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await context.close();
    expect(await proxyConfigNames(new URL(link).hostname)).toBe(true);
  });

  await test.step("a 'closed' delivery removes the preview: gone from the page and from the proxy", async () => {
    const { event, body } = pullRequestFixture("github", "closed", { number, sha: headSha, branch, merged: true });
    const raw = Buffer.from(JSON.stringify(body));
    const res = await request.post(url, {
      headers: providerHeaders("github", raw, secret, { deliveryId: `e2e-pr-${id}-2`, event }),
      data: raw,
    });
    expect(await res.json()).toMatchObject({ previewRemoved: true });
    await expect(page.getByTestId("preview-row")).toHaveCount(0);
    await expect(page.getByTestId("no-previews")).toBeVisible();
    // Its route left Caddy's config (a request alone could not tell: with the container gone it
    // fails whether the route is left or not).
    await expect.poll(() => proxyConfigNames(new URL(link).hostname), { timeout: 30_000 }).toBe(false);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const tab = await context.newPage();
    await expect(async () => {
      const response = await tab.goto(`${link}:${proxy.https}/`).catch(() => null);
      expect(response?.status() ?? 0).not.toBe(200);
    }).toPass({ timeout: 15_000 });
    await context.close();
    await shot("02-preview-closed");
  });

  await test.step("clean up", async () => {
    await deleteService(page, serviceId, serviceName);
  });
  await setLocalSources(owner, false);
  if (owner !== page) await owner.context().close();
});
