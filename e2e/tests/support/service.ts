import { expect, type Page } from "@playwright/test";
import { createProject, serviceIdOf, submitServiceForm } from "./dashboard.ts";
import { containersOfService } from "./docker.ts";

/** A new project with a hello service, deployed by the form ("Deploy now") and running. Returns their ids and names. */
export async function runningHelloService(page: Page, id: string): Promise<{ projectId: string; serviceId: string; serviceName: string }> {
  await page.goto("/");
  const projectId = await createProject(page, `Project ${id}`);
  const serviceName = `hello-${id}`;
  await submitServiceForm(page, { name: serviceName, image: "berth-test/hello:latest", port: "8080" });
  await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
  // Deploying: the page opens on the Deployments tab with the live log.
  await expect(page).toHaveURL(/\?tab=deployments$/);
  const serviceId = serviceIdOf(page);
  await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  return { projectId, serviceId, serviceName };
}

/**
 * Deletes a service through its page (typing its name to confirm) and checks no container of
 * it is left. `deleteVolumes`: also tick "Also delete its volume(s)" (the service has some).
 */
export async function deleteService(
  page: Page,
  serviceId: string,
  serviceName: string,
  options: { deleteVolumes?: boolean } = {},
): Promise<void> {
  await page.goto(`/services/${serviceId}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${serviceName}?` });
  if (options.deleteVolumes) await dialog.getByLabel(/^Also delete its/).check();
  await dialog.getByLabel(`Type ${serviceName} to confirm`).fill(serviceName);
  await dialog.getByRole("button", { name: "Delete service" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect.poll(() => containersOfService(serviceId)).toEqual([]);
}
