import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** From the projects page: create a project and wait on its page. Returns the project id. */
export async function createProject(page: Page, name: string): Promise<string> {
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const match = /\/projects\/([0-9a-f-]{36})$/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a project page: ${page.url()}`);
  return match[1];
}

export interface ServiceForm {
  name: string;
  image: string;
  /** Absent for a worker. */
  port?: string;
  /** Web when absent. */
  kind?: "Web" | "Worker" | "TCP";
  env?: { key: string; value: string }[];
  /** The form deploys at once by default; false unticks "Deploy now" (the service waits for Deploy). */
  deploy?: boolean;
}

/** The id in a service page's URL (`/services/<id>` or `/services/<id>?tab=…`). */
export function serviceIdOf(page: Page): string {
  const match = /\/services\/([0-9a-f-]{36})(?:[?#]|$)/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a service page: ${page.url()}`);
  return match[1];
}

export type ServiceTabName =
  "Overview" | "Deployments" | "Logs" | "Terminal" | "Run & cron" | "Variables" | "Domains" | "Settings" | "Webhooks" | "Previews";

/** On a service page: open one of its tabs (a link; the URL gets ?tab=…). */
export async function openTab(page: Page, name: ServiceTabName): Promise<void> {
  const link = page.getByRole("navigation", { name: "Service sections" }).getByRole("link", { name, exact: true });
  await link.click();
  await expect(link).toHaveAttribute("aria-current", "page");
}

/** On a project page: fill the "New service" form and submit it. */
export async function submitServiceForm(page: Page, form: ServiceForm): Promise<void> {
  const panel = page.getByRole("form", { name: "New service" });
  await panel.getByLabel("Service name").fill(form.name);
  await panel.getByLabel("Image", { exact: true }).fill(form.image);
  if (form.kind) await panel.getByRole("radio", { name: form.kind, exact: true }).check();
  if (form.port !== undefined) await panel.getByLabel("Container port").fill(form.port);
  for (const [index, pair] of (form.env ?? []).entries()) {
    const n = index + 1;
    if (index > 0) await panel.getByRole("button", { name: "Add variable" }).click();
    await panel.getByLabel(`Variable ${n} key`).fill(pair.key);
    await panel.getByLabel(`Variable ${n} value`).fill(pair.value);
  }
  if (form.deploy === false) await panel.getByLabel("Deploy now").uncheck();
  await panel.getByRole("button", { name: "Create service" }).click();
}

export interface GitServiceForm {
  name: string;
  url: string;
  /** Left at the form's default when absent. */
  branch?: string;
  port?: string;
  /** The form deploys at once by default; false unticks "Deploy now". */
  deploy?: boolean;
}

/** On a project page: fill the "New service" form for a git repository and submit it. */
export async function submitGitServiceForm(page: Page, form: GitServiceForm): Promise<void> {
  const panel = page.getByRole("form", { name: "New service" });
  await panel.getByLabel("Service name").fill(form.name);
  await panel.getByLabel("Git repository").check();
  await panel.getByLabel("Repository URL").fill(form.url);
  if (form.branch !== undefined) await panel.getByLabel("Branch").fill(form.branch);
  await panel.getByLabel("Container port").fill(form.port ?? "8080");
  if (form.deploy === false) await panel.getByLabel("Deploy now").uncheck();
  await panel.getByRole("button", { name: "Create service" }).click();
}

/** On a service page: what its URL serves now ("not running", or "HTTP <status>" when not 2xx). */
export async function servedText(page: Page, request: APIRequestContext): Promise<string> {
  const url = (await page.getByTestId("service-url").textContent())?.trim() ?? "";
  if (!url.startsWith("http")) return "not running";
  const response = await request.get(url);
  return response.ok() ? response.text() : `HTTP ${response.status()}`;
}

/** The highest N among "hello line N" lines in a text (0 if none). */
export function highestHelloLine(text: string): number {
  let max = 0;
  for (const match of text.matchAll(/hello line (\d+)/g)) max = Math.max(max, Number(match[1]));
  return max;
}

/**
 * On a project page: New > Database, a PostgreSQL database named "db" from the local test image
 * (no registry here); waits until it runs and returns its service id.
 */
export async function createPostgresDatabase(page: Page): Promise<string> {
  await page.getByRole("group", { name: "New" }).getByRole("button", { name: "Database" }).click();
  const form = page.getByRole("form", { name: "New database" });
  await expect(form.getByLabel("Database name")).toHaveValue("db");
  // The three engines, each with its own connection variable and official image.
  await expect(form.getByLabel("Engine").locator("option")).toHaveText(["PostgreSQL", "MariaDB", "Redis"]);
  await form.getByLabel("Engine").selectOption("redis");
  await expect(form).toContainText("${{db.REDIS_URL}}");
  await expect(form).toContainText("Default: redis:7");
  await form.getByLabel("Engine").selectOption("postgresql");
  await expect(form).toContainText("${{db.DATABASE_URL}}");
  return submitDatabaseForm(page, { engine: "postgresql", image: "berth-test/postgres:15", name: "db" });
}

/**
 * On a project page: create a database of `engine` from a local test image (no registry here)
 * and wait on its service page until it runs. Returns the service id.
 */
export async function createDatabase(
  page: Page,
  database: { engine: "postgresql" | "mariadb" | "redis"; image: string; name: string },
): Promise<string> {
  await page.getByRole("group", { name: "New" }).getByRole("button", { name: "Database" }).click();
  return submitDatabaseForm(page, database);
}

async function submitDatabaseForm(page: Page, database: { engine: string; image: string; name: string }): Promise<string> {
  const form = page.getByRole("form", { name: "New database" });
  await form.getByLabel("Engine").selectOption(database.engine);
  await form.getByLabel("Database name").fill(database.name);
  await form.getByLabel("Image (optional)").fill(database.image);
  await form.getByRole("button", { name: "Create database" }).click();
  // The service page, not the project's (whose heading may contain the name too).
  await expect(page).toHaveURL(/\/services\/[0-9a-f-]{36}/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: database.name, level: 1, exact: true })).toBeVisible();
  const id = serviceIdOf(page);
  await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 120_000 });
  return id;
}
