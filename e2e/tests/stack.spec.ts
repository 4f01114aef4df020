import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createProject, serviceIdOf } from "./support/dashboard.ts";
import { deleteService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

const REFUSED = `services:
  agent:
    image: berth-test/hello:latest
    privileged: true
`;

const STACK = `services:
  front:
    image: berth-test/hello:latest
    ports: ["8080:8080"]
    environment:
      GREETING: front of \${SHOP}
    depends_on:
      back: { condition: service_healthy }
  back:
    image: berth-test/hello:latest
    expose: ["8080"]
    volumes: ["./data:/data"]
    environment:
      GREETING: back of \${SHOP}
`;

/**
 * A compose stack pasted on the project page: a refused file lists its problem by service and
 * key and creates nothing; a good one shows its services in dependency order and what the import
 * changed of the file, comes up, serves.
 */
test("paste a compose stack and see its services come up in dependency order", async ({ page, request }) => {
  test.setTimeout(300_000);
  const id = uniqueSuffix();
  await signUp(page);
  await page.goto("/");
  const projectId = await createProject(page, `Stack ${id}`);

  await page.getByRole("group", { name: "New" }).getByRole("button", { name: "Compose stack" }).click();
  const form = page.getByRole("form", { name: "New compose stack" });
  await form.getByLabel("Stack name").fill("shop");
  await form.getByLabel("Compose file", { exact: true }).fill(REFUSED);
  await form.getByRole("button", { name: "Create stack" }).click();
  const problems = form.getByRole("alert", { name: "Problems in the compose file" });
  await expect(problems).toContainText("agent: privileged");
  await expect(problems).toContainText("Refused");
  await expect(page.getByRole("list", { name: "Stacks" })).toHaveCount(0);

  await form.getByLabel("Compose file", { exact: true }).fill(STACK);
  await form.getByLabel("Variables (optional)").fill(`SHOP=shop-${id}`);
  await form.getByRole("button", { name: "Create stack" }).click();
  await expect(page.getByRole("heading", { name: "shop", level: 1 })).toBeVisible();
  const services = page.getByRole("list", { name: "Stack services" }).getByRole("listitem");
  await expect(services.nth(0)).toContainText("back");
  await expect(services.nth(1)).toContainText("front");
  await expect(services.nth(1)).toContainText("after back (healthy)");
  // What the import changed of the file is on the stack's page: the directory beside it is a volume.
  await expect(page.getByRole("list", { name: "Notes from the last import" })).toContainText(
    "back: volumes.0 — ./data becomes the volume data",
  );
  for (const name of ["back", "front"]) {
    const row = page.getByTestId(`stack-service-${name}`);
    await expect(row.getByTestId("stack-state")).toHaveText("deployed", { timeout: 180_000 });
    await expect(row.getByTestId("stack-service-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  }

  await page.getByTestId("stack-service-front").getByRole("link", { name: "front" }).click();
  await expect(page.getByRole("heading", { name: "front", level: 1 })).toBeVisible();
  const frontId = serviceIdOf(page);
  const url = (await page.getByTestId("service-url").textContent())?.trim() ?? "";
  expect(url).toMatch(/^http/);
  expect(await (await request.get(url)).text()).toContain(`front of shop-${id}`);

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("list", { name: "Stacks" }).getByRole("link", { name: "shop" }).click();
  const backId =
    (await page.getByTestId("stack-service-back").getByRole("link", { name: "back" }).getAttribute("href"))?.split("/").pop() ?? "";
  await deleteService(page, frontId, "front");
  await deleteService(page, backId, "back", { deleteVolumes: true });
});
