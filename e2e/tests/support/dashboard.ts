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
  port: string;
  env?: { key: string; value: string }[];
}

/** On a project page: fill the "New service" form and submit it. */
export async function submitServiceForm(page: Page, form: ServiceForm): Promise<void> {
  const panel = page.getByRole("form", { name: "New service" });
  await panel.getByLabel("Service name").fill(form.name);
  await panel.getByLabel("Image", { exact: true }).fill(form.image);
  await panel.getByLabel("Container port").fill(form.port);
  for (const [index, pair] of (form.env ?? []).entries()) {
    const n = index + 1;
    if (index > 0) await panel.getByRole("button", { name: "Add variable" }).click();
    await panel.getByLabel(`Variable ${n} key`).fill(pair.key);
    await panel.getByLabel(`Variable ${n} value`).fill(pair.value);
  }
  await panel.getByRole("button", { name: "Create service" }).click();
}

export interface GitServiceForm {
  name: string;
  url: string;
  /** Left at the form's default when absent. */
  branch?: string;
  port?: string;
}

/** On a project page: fill the "New service" form for a git repository and submit it. */
export async function submitGitServiceForm(page: Page, form: GitServiceForm): Promise<void> {
  const panel = page.getByRole("form", { name: "New service" });
  await panel.getByLabel("Service name").fill(form.name);
  await panel.getByLabel("Git repository").check();
  await panel.getByLabel("Repository URL").fill(form.url);
  if (form.branch !== undefined) await panel.getByLabel("Branch").fill(form.branch);
  await panel.getByLabel("Container port").fill(form.port ?? "8080");
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
