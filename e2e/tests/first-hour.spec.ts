import { expect, test } from "@playwright/test";
import { newAccount, signUp } from "./support/account.ts";
import { openTab } from "./support/dashboard.ts";
import { uniqueSuffix } from "./support/unique.ts";

/**
 * A newcomer's first hour (issue 17): a short password is refused at its field; the dashboard
 * opened at another loopback spelling than the public URL works; a long project name is refused with a reason, not cut; an empty port is
 * "required"; a source that cannot be checked offers "Create anyway"; Start says why it cannot
 * start; a multi-line value (a PEM key) imported from .env stays multi-line when edited.
 */
test("first hour: loopback sign-up/in, honest form errors, source check, Start's reason, multi-line values", async ({
  browser,
  baseURL,
}) => {
  const port = new URL(baseURL ?? "").port;
  // The public URL of this run is http://127.0.0.1:<port>; localhost is trusted as loopback too.
  const context = await browser.newContext({ baseURL: `http://localhost:${port}` });
  const page = await context.newPage();
  const id = uniqueSuffix();
  const account = newAccount();

  await test.step("a short password is refused at the Password field, and nothing is created", async () => {
    await page.goto("/sign-up");
    await page.getByLabel("Name", { exact: true }).fill(account.name);
    await page.getByLabel("Email", { exact: true }).fill(account.email);
    const password = page.getByLabel("Password", { exact: true });
    await password.fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAccessibleDescription(/Use at least 10 characters/);
  });

  await test.step("sign up and sign in at http://localhost:<port>", async () => {
    await signUp(page, account);
    const again = await browser.newContext({ baseURL: `http://localhost:${port}` });
    const other = await again.newPage();
    await other.goto("/sign-in");
    await other.getByLabel("Email", { exact: true }).fill(account.email);
    await other.getByLabel("Password", { exact: true }).fill(account.password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect(other.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
    await again.close();
    // The owner's sign-up ends in Settings (it opens sign-up for the others).
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  });

  await test.step("a long project name is kept as typed and refused with its limit", async () => {
    const long = `p-${id}-${"x".repeat(70)}`;
    await page.getByLabel("Project name").fill(long);
    await expect(page.getByLabel("Project name")).toHaveValue(long);
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByLabel("Project name")).toHaveAccessibleDescription(/at most 64 characters/);
    await page.getByLabel("Project name").fill(`first-hour-${id}`);
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("heading", { name: `first-hour-${id}`, level: 1 })).toBeVisible();
  });

  const form = page.getByRole("form", { name: "New service" });
  await test.step("an empty port is required; an image that cannot be checked offers Create anyway", async () => {
    await form.getByLabel("Service name").fill(`web-${id}`);
    await form.getByLabel("Image", { exact: true }).fill("berth-test/hello:latest");
    await form.getByRole("button", { name: "Create service" }).click();
    await expect(form.getByLabel("Container port")).toHaveAccessibleDescription(/Port is required/);
    // A registry nothing answers on: the check cannot run, so creating anyway is offered.
    await form.getByLabel("Image", { exact: true }).fill("127.0.0.1:9/berth-test/absent:1");
    await form.getByLabel("Container port").fill("8080");
    await form.getByRole("button", { name: "Create service" }).click();
    const check = form.getByTestId("source-check");
    await expect(check).toHaveAttribute("data-status", "unavailable", { timeout: 30_000 });
    await expect(check.getByRole("button", { name: "Create anyway" })).toBeVisible();
    await form.getByLabel("Image", { exact: true }).fill("berth-test/hello:latest");
    // Created without deploying ("Deploy now" is ticked by default), so nothing is released yet.
    await form.getByLabel("Deploy now").uncheck();
    await form.getByRole("button", { name: "Create service" }).click();
    await expect(page.getByRole("heading", { name: `web-${id}`, level: 1 })).toBeVisible();
  });

  await test.step("Start is disabled with the reason before any release exists", async () => {
    await expect(page.getByTestId("start-service")).toBeDisabled();
    await expect(page.getByTestId("start-blocked")).toContainText("There is no release to start yet");
    await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "not_deployed");
  });

  await test.step("a PEM key imported from .env is edited in a multi-line field and keeps its line breaks", async () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    await openTab(page, "Variables");
    const vars = page.getByTestId("env-service");
    await vars.getByText("Import a .env file").click();
    await vars.getByLabel(".env contents").fill(`DEPLOY_KEY="${pem}"\nPLAIN=one`);
    await vars.getByRole("button", { name: "Import" }).click();
    await expect(vars.getByRole("status")).toContainText("Imported 2 variable(s)");
    const value = vars.getByLabel("Variable 1 value");
    await expect(value).toHaveJSProperty("tagName", "TEXTAREA");
    await expect(value).toHaveValue(pem);
    await value.fill(`${pem}\n`);
    await vars.getByRole("button", { name: "Save variables" }).click();
    await expect(vars.getByText("Saved. Deploy to apply.")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("env-service").getByLabel("Variable 1 value")).toHaveValue(`${pem}\n`);
  });
  await context.close();
});
