import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { totpOf } from "../../apps/server/test/totp.ts";

test("two-factor: set up TOTP in the account page; signing in then asks for a code", async ({ page }) => {
  const { account } = await signUp(page);
  await page.goto("/account");
  const panel = page.getByRole("region", { name: "Two-factor authentication" });
  await panel.getByLabel("Your password").fill(account.password);
  await panel.getByRole("button", { name: "Set up two-factor" }).click();
  const uri = await panel.getByLabel("otpauth link").inputValue();
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  await expect(panel.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await panel.getByLabel("Code from the app").fill(totpOf(uri));
  await panel.getByRole("button", { name: "Turn on" }).click();
  await expect(panel.getByText("On: signing in needs a code")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Authentication code").fill("000000" === totpOf(uri) ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /invalid/i })).toBeVisible();
  await page.getByLabel("Authentication code").fill(totpOf(uri));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
});
