import { expect, type Page } from "@playwright/test";
import { createProject, submitServiceForm } from "./dashboard.ts";

/** From the projects page: a project with a hello service, deployed and running. Returns their ids and names. */
export async function runningHelloService(page: Page, id: string): Promise<{ projectId: string; serviceId: string; serviceName: string }> {
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
