import { expect, test } from "@playwright/test";
import { ownerPage, signUp } from "./support/account.ts";
import { createProject, openTab, submitServiceForm } from "./support/dashboard.ts";
import { uniqueSuffix } from "./support/unique.ts";

test("rename a project; registry credentials without their password; instance container defaults as the settings' placeholders; delete the project after typing its name", async ({
  page,
  browser,
}, testInfo) => {
  const id = uniqueSuffix();
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const { owner: isOwner } = await signUp(page);
  const owner = isOwner ? page : await ownerPage(browser);

  let projectUrl = "";
  await test.step("rename the project", async () => {
    await page.goto("/");
    await createProject(page, `Admin ${id}`);
    projectUrl = page.url();
    await page.getByRole("button", { name: "Rename" }).click();
    const dialog = page.getByRole("dialog", { name: "Rename project" });
    await dialog.getByLabel("Project name").fill(`Renamed ${id}`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { name: `Renamed ${id}`, level: 1 })).toBeVisible();
    await expect(dialog).toBeHidden();
  });

  await test.step("save registry credentials: listed without the password; delete them", async () => {
    await page.goto("/team");
    const panel = page.getByTestId("registries-panel");
    await panel.getByLabel("Registry host").fill(`registry-${id}.example.com:5000`);
    await panel.getByLabel("Username").fill("ci-bot");
    await panel.getByLabel("Password or token").fill(`pw-${id}-secret`);
    await panel.getByRole("button", { name: "Save credentials" }).click();
    const row = panel.getByTestId("registry-row").filter({ hasText: `registry-${id}.example.com:5000` });
    await expect(row).toContainText("ci-bot");
    await expect(panel.getByLabel("Password or token")).toHaveValue("");
    await page.reload();
    expect(await page.content()).not.toContain(`pw-${id}-secret`);
    await shot("01-registries");
    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: `Delete credentials for registry-${id}.example.com:5000` }).click();
    await expect(row).toHaveCount(0);
  });

  const before = await test.step("the instance owner sets a default memory limit", async () => {
    await owner.goto("/settings");
    const form = owner.getByRole("form", { name: "Container defaults" });
    const memory = form.getByLabel("Memory (MiB)");
    const previous = await memory.inputValue();
    await memory.fill("768");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
    return previous;
  });

  await test.step("a service's settings show the instance default as the placeholder of an empty limit", async () => {
    await page.goto(projectUrl);
    await submitServiceForm(page, { name: `idle-${id}`, image: "berth-test/hello:latest", port: "8080", deploy: false });
    await expect(page.getByRole("heading", { name: `idle-${id}`, level: 1 })).toBeVisible();
    await openTab(page, "Settings");
    await expect(page.getByRole("form", { name: "Service settings" }).getByLabel("Memory (MiB)")).toHaveAttribute(
      "placeholder",
      "768 MiB (instance default)",
    );
    const form = owner.getByRole("form", { name: "Container defaults" });
    await owner.goto("/settings");
    await form.getByLabel("Memory (MiB)").fill(before);
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
  });

  await test.step("delete the project: the dialog names its service and asks for the name", async () => {
    await page.goto(projectUrl);
    await page.getByRole("button", { name: "Delete project" }).click();
    const dialog = page.getByRole("dialog", { name: `Delete Renamed ${id}?` });
    await expect(dialog.getByTestId("delete-project-losses")).toContainText(`idle-${id}`);
    await expect(dialog.getByRole("button", { name: "Delete project" })).toBeDisabled();
    await dialog.getByLabel(`Type Renamed ${id} to confirm`).fill(`Renamed ${id}`);
    await shot("02-delete-project");
    await dialog.getByRole("button", { name: "Delete project" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: `Renamed ${id}` })).toHaveCount(0);
  });
  if (owner !== page) await owner.context().close();
});
