import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createProject, submitServiceForm } from "./support/dashboard.ts";
import { uniqueSuffix } from "./support/unique.ts";

test("bad service input is reported at each field and creates nothing", async ({ page }, testInfo) => {
  const id = uniqueSuffix();
  await signUp(page);
  await page.goto("/");
  const projectId = await createProject(page, `Validation ${id}`);

  await submitServiceForm(page, { name: `web-${id}`, image: "Not A Valid:::Image", port: "70000", env: [{ key: "1BAD", value: "x" }] });

  const form = page.getByRole("form", { name: "New service" });
  await expect(form.getByLabel("Container port")).toHaveAccessibleDescription(/between 1 and 65535/);
  await expect(form.getByLabel("Container port")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Image", { exact: true })).toHaveAccessibleDescription(/not a valid image reference/i);
  await expect(form.getByLabel("Variable 1 key")).toHaveAccessibleDescription(/starting with a letter or _/);
  await expect(form.getByLabel("Service name")).not.toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: testInfo.outputPath("service-form-errors.png"), fullPage: true });

  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}$`));
  await page.reload();
  await expect(page.getByText("No services yet")).toBeVisible();
});
