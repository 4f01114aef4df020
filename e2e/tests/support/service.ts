import { expect, type Page } from "@playwright/test";
import { createProject, submitServiceForm } from "./dashboard.ts";
import { containersOfService } from "./docker.ts";

/** A new project with a hello service, deployed and running. Returns their ids and names. */
export async function runningHelloService(page: Page, id: string): Promise<{ projectId: string; serviceId: string; serviceName: string }> {
  await page.goto("/");
  const projectId = await createProject(page, `Project ${id}`);
  const serviceName = `hello-${id}`;
  await submitServiceForm(page, { name: serviceName, image: "berth-test/hello:latest", port: "8080" });
  await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
  const serviceId = /\/services\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
  if (!serviceId) throw new Error(`not on a service page: ${page.url()}`);
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  return { projectId, serviceId, serviceName };
}

/** Deletes a service through its page (typing its name to confirm) and checks no container of it is left. */
export async function deleteService(page: Page, serviceId: string, serviceName: string): Promise<void> {
  await page.goto(`/services/${serviceId}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${serviceName}?` });
  await dialog.getByLabel(`Type ${serviceName} to confirm`).fill(serviceName);
  await dialog.getByRole("button", { name: "Delete service" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect.poll(() => containersOfService(serviceId)).toEqual([]);
}
