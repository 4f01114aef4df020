import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createPostgresDatabase, createProject, openTab, serviceIdOf, submitServiceForm } from "./support/dashboard.ts";
import { deleteService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

/**
 * A database in one step from the project page (the local PostgreSQL test image in place of the
 * official one), and a service that connects to it through `${{db.DATABASE_URL}}`: a row written
 * through the service is read back. The password is generated and never shown.
 */
test("create a PostgreSQL database in one step and connect a service to it by a reference variable", async ({ page, request }) => {
  test.setTimeout(300_000);
  const id = uniqueSuffix();
  await signUp(page);
  await page.goto("/");
  const projectId = await createProject(page, `Data ${id}`);

  const dbId = await createPostgresDatabase(page);
  await openTab(page, "Variables");
  await expect(page.getByTestId("env-service")).toContainText("POSTGRES_PASSWORD");
  await openTab(page, "Overview");
  await expect(page.getByTestId("database-connection")).toContainText(
    "PostgreSQL database: other services connect with the variable ${{db.DATABASE_URL}} (postgresql://app:…@db:5432/app)",
  );

  await page.goto(`/projects/${projectId}`);
  await submitServiceForm(page, {
    name: "api",
    image: "berth-test/app:latest",
    port: "8080",
    env: [{ key: "DATABASE_URL", value: "${{db.DATABASE_URL}}" }],
  });
  await expect(page.getByRole("heading", { name: "api", level: 1 })).toBeVisible();
  const apiId = serviceIdOf(page);
  await expect(page.getByTestId("service-status")).toHaveAttribute("data-status", "running", { timeout: 120_000 });
  await openTab(page, "Overview");
  const url = (await page.getByTestId("service-url").textContent())?.trim() ?? "";
  expect(url).toMatch(/^http/);
  const row = `row-${id}`;
  const written = await request.post(`${url}/cgi-bin/rows`, { data: row, headers: { "content-type": "text/plain" } });
  expect(written.status()).toBe(200);
  expect(await (await request.get(`${url}/cgi-bin/rows`)).text()).toContain(row);

  await deleteService(page, apiId, "api");
  await deleteService(page, dbId, "db", { deleteVolumes: true });
});
