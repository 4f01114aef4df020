import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { newAccount, signUp, type Account } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { uniqueSuffix } from "./support/unique.ts";

/** Owner creates an invitation in /team and copies the link shown once. */
async function invite(page: Page, email: string, role: "member" | "viewer"): Promise<string> {
  await page.goto("/team");
  const panel = page.getByRole("region", { name: "Invite someone" });
  await panel.getByLabel("Email").fill(email);
  await panel.getByLabel("Role").selectOption(role);
  await panel.getByRole("button", { name: "Create invitation" }).click();
  const link = page.getByTestId("invite-link");
  await expect(link).toHaveValue(/\/invite\/inv_/);
  return link.inputValue();
}

/** In a fresh browser: open the link, create the invited account, join the team. */
async function acceptAsNewUser(browser: Browser, link: string, account: Account, teamName: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: `Join ${teamName}` })).toBeVisible();
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Name", { exact: true }).fill(account.name);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: `Join ${teamName}` }).click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  return page;
}

async function trpcMutate(request: APIRequestContext, path: string, input: unknown, baseURL: string) {
  return request.post(`/trpc/${path}`, { data: input, headers: { origin: baseURL } });
}

test("teams: invite a member who deploys, a viewer who cannot, remove a member mid-stream, deploy with tokens", async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const origin = baseURL ?? "";
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const id = uniqueSuffix();
  const owner = newAccount();
  const teamName = `${owner.name}'s team`;
  await signUp(page, owner);
  await page.goto("/");
  await createProject(page, `Team ${id}`);
  await submitServiceForm(page, { name: `shared-${id}`, image: "berth-test/hello:latest", port: "8080", deploy: false });
  await expect(page.getByRole("heading", { name: `shared-${id}`, level: 1 })).toBeVisible();
  const serviceId = serviceIdOf(page);
  expect(serviceId).not.toBe("");
  const servicePath = `/services/${serviceId}`;

  const member = newAccount();
  const memberPage = await test.step("the owner invites a member, who signs up from the link and joins", async () => {
    const link = await invite(page, member.email, "member");
    return acceptAsNewUser(browser, link, member, teamName);
  });

  await test.step("the member deploys", async () => {
    await memberPage.goto(servicePath);
    await memberPage.getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(memberPage.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await openTab(memberPage, "Logs");
    await expect(memberPage.getByTestId("log-panel")).toContainText(/hello line \d+/, { timeout: 20_000 });
    await expect(memberPage.getByTestId("log-stream-state")).toHaveAttribute("data-phase", "live");
  });

  await test.step("the member's chosen team comes with the page: in its HTML, and again after a reload", async () => {
    const personal = `${member.name}'s team`;
    const switcher = memberPage.getByTestId("team-name");
    const row = memberPage.getByTestId("overview").locator(`[data-testid="overview-service"][data-service="shared-${id}"]`);
    await memberPage.goto("/");
    // Joining chose the team joined.
    await expect(switcher.locator("option:checked")).toHaveText(teamName);
    await expect(row).toBeVisible();
    // The server rendered the overview of the chosen team (the browser's cookies, the team's choice among them).
    const html = await (await memberPage.request.get("/")).text();
    expect(html).toContain(`data-service="shared-${id}"`);
    await switcher.selectOption({ label: personal });
    await expect(row).toHaveCount(0);
    await memberPage.reload();
    await expect(switcher.locator("option:checked")).toHaveText(personal);
    await expect(memberPage.getByTestId("overview")).toContainText("Nothing to show yet");
    expect(await (await memberPage.request.get("/")).text()).not.toContain(`data-service="shared-${id}"`);
    await switcher.selectOption({ label: teamName });
    await expect(row).toBeVisible();
  });

  await test.step("a viewer sees the service without the controls, and the API refuses a deploy", async () => {
    const viewer = newAccount();
    const link = await invite(page, viewer.email, "viewer");
    const viewerPage = await acceptAsNewUser(browser, link, viewer, teamName);
    await viewerPage.goto(servicePath);
    await expect(viewerPage.getByText("You are a viewer in this team")).toBeVisible();
    await expect(viewerPage.getByRole("button", { name: /deploy/i })).toHaveCount(0);
    const refused = await trpcMutate(viewerPage.request, "services.deploy", { serviceId }, origin);
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("FORBIDDEN");
    await viewerPage.context().close();
  });

  await test.step("removing the member closes their open log stream within 5 s", async () => {
    await page.goto("/team");
    const row = page.locator(`[data-testid="member-row"][data-email="${member.email}"]`);
    await shot("teams-01-team-page");
    await row.getByRole("button", { name: "Remove" }).click();
    await expect(row).toHaveCount(0);
    const phase = () =>
      memberPage.evaluate(() => document.querySelector<HTMLElement>('[data-testid="log-stream-state"]')?.dataset.phase ?? "gone");
    await expect.poll(phase, { timeout: 5_000, intervals: [200] }).not.toBe("live");
    const refused = await trpcMutate(memberPage.request, "services.deploy", { serviceId }, origin);
    expect(refused.status()).toBe(404);
    await memberPage.context().close();
  });

  await test.step("a deploy-scoped token deploys over POST /api/v1/services/:id/deploy; a read-scoped one is refused", async () => {
    await page.goto("/account");
    const createToken = async (name: string, scope: "read" | "deploy") => {
      await page.getByLabel("Token name").fill(name);
      await page.getByLabel("Scope").selectOption(scope);
      await page.getByRole("button", { name: "Create token" }).click();
      await expect(page.getByLabel(`New token "${name}"`)).toHaveValue(/^berth_/);
      return page.getByLabel(`New token "${name}"`).inputValue();
    };
    const deployToken = await createToken(`ci-${id}`, "deploy");
    const readToken = await createToken(`ro-${id}`, "read");
    const call = (token: string) =>
      page.request.post(`/api/v1/services/${serviceId}/deploy`, { headers: { authorization: `Bearer ${token}` } });
    const read = await call(readToken);
    expect(read.status()).toBe(403);
    const deployed = await call(deployToken);
    expect(deployed.status()).toBe(202);
    expect(await deployed.json()).toHaveProperty("deploymentId");
    await expect(page.getByTestId("token-row").filter({ hasText: `ci-${id}` })).toBeVisible();
    await shot("teams-02-account-page");
  });

  await test.step("the audit log shows who did what, filterable", async () => {
    await page.goto("/audit");
    await expect(page.locator('[data-testid="audit-row"][data-action="service.deploy"]').first()).toBeVisible();
    await expect(page.locator('[data-testid="audit-row"][data-action="member.remove"]')).toHaveCount(1);
    await shot("teams-03-audit-page");
    await page.getByLabel("Action").selectOption({ label: "API tokens" });
    await expect(page.locator('[data-testid="audit-row"][data-action="token.create"]')).toHaveCount(2);
    await expect(page.locator('[data-testid="audit-row"]:not([data-action^="token."])')).toHaveCount(0);
  });

  await test.step("the token's deploy finishes; clean up the service", async () => {
    await page.goto(`${servicePath}?tab=deployments`);
    await expect(page.getByTestId("deployment-row").first()).toHaveAttribute("data-status", /^(succeeded|failed)$/, { timeout: 60_000 });
    const deleted = await trpcMutate(page.request, "services.delete", { serviceId }, origin);
    expect(deleted.status()).toBe(200);
  });
});
