import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
import { uniqueSuffix } from "./unique.ts";

export interface Account {
  name: string;
  email: string;
  password: string;
}

export function newAccount(): Account {
  const id = uniqueSuffix();
  return { name: `E2E ${id}`, email: `e2e-${id}@example.test`, password: `pw-${id}-correct-horse` };
}

/**
 * Signs up through the UI and lands on the projects page. On a fresh instance the account
 * becomes the owner; it then opens sign-up in /settings, so the other specs (and later runs
 * against the same database) can sign up their own users.
 */
export async function signUp(page: Page, account: Account = newAccount()): Promise<{ account: Account; owner: boolean }> {
  await page.goto("/sign-up");
  const submit = page.getByRole("button", { name: "Create account" });
  const closed = page.getByText("Sign-up is closed on this instance.");
  await expect(submit.or(closed)).toBeVisible();
  if (await closed.isVisible()) {
    throw new Error("Sign-up is closed on this instance: run the e2e against a fresh database, or open sign-up as its owner");
  }
  const owner = await page.getByRole("heading", { name: "Create the owner account of this Berth instance" }).isVisible();
  await page.getByLabel("Name", { exact: true }).fill(account.name);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await submit.click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  if (owner) {
    rememberOwner(account);
    await openSignUp(page);
  }
  return { account, owner };
}

/** As the instance owner: turn on "Open sign-up" in /settings. */
export async function openSignUp(page: Page): Promise<void> {
  await page.goto("/settings");
  const toggle = page.getByRole("switch", { name: "Open sign-up" });
  await expect(toggle).toBeEnabled();
  if (!(await toggle.isChecked())) {
    await toggle.check();
    await expect(page.getByText("Saved. Sign-up is now open.")).toBeVisible();
  }
  await expect(toggle).toBeChecked();
}

// The run's output directory is emptied by Playwright at the start of every run.
const OWNER_FILE = path.resolve(import.meta.dirname, "../../test-results/.owner.json");

function rememberOwner(account: Account): void {
  mkdirSync(path.dirname(OWNER_FILE), { recursive: true });
  writeFileSync(OWNER_FILE, JSON.stringify(account), { mode: 0o600 });
}

/** True once this run signed up the instance owner. */
export function hasOwner(): boolean {
  return existsSync(OWNER_FILE);
}

/**
 * A page signed in as the instance owner of this run (the first account signed up), in its
 * own browser context. The caller closes it.
 */
export async function ownerPage(browser: Browser): Promise<Page> {
  const account = JSON.parse(readFileSync(OWNER_FILE, "utf8")) as Account;
  const page = await (await browser.newContext()).newPage();
  await signInOn(page, account);
  return page;
}

/** Signs in on the page's origin through the form and waits for the projects page. */
export async function signInOn(page: Page, account: Account): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
}
