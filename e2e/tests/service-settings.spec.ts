import { expect, test } from "@playwright/test";
import { signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, servedText as servedBy, submitServiceForm } from "./support/dashboard.ts";
import { runningContainersOfService } from "./support/docker.ts";
import { deleteService } from "./support/service.ts";
import { uniqueSuffix } from "./support/unique.ts";

const MiB = 1024 * 1024;

/** Services this spec created; deleted after the test, also when it failed. */
const created: { serviceId: string; serviceName: string; volumes?: boolean }[] = [];
test.afterEach(async ({ page }) => {
  for (const s of created.splice(0)) await deleteService(page, s.serviceId, s.serviceName, { deleteVolumes: s.volumes ?? false });
});

test("edit a service in Settings and deploy it; add a worker without a port; add a volume and find it on the project", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(300_000);
  const id = uniqueSuffix();
  const api = `api-${id}`;
  const worker = `worker-${id}`;
  const status = page.getByTestId("service-status");
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const settings = page.getByRole("form", { name: "Service settings" });
  const rows = page.getByTestId("deployment-row");

  await signUp(page);
  await page.goto("/");
  const projectId = await createProject(page, `Settings ${id}`);

  const apiId = await test.step("create an image service: it deploys at once (Deploy now is ticked by default)", async () => {
    await submitServiceForm(page, { name: api, image: "berth-test/hello:latest", port: "8080" });
    await expect(page.getByRole("heading", { name: api, level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\?tab=deployments$/);
    const serviceId = serviceIdOf(page);
    created.push({ serviceId, serviceName: api });
    await expect(status).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    return serviceId;
  });

  await test.step("a bad value is reported at its field and nothing typed is lost", async () => {
    await openTab(page, "Settings");
    await expect(page).toHaveURL(/\?tab=settings$/);
    await settings.getByLabel("Memory (MiB)").fill("64");
    await settings.getByLabel("Container port").fill("70000");
    await settings.getByLabel("Run as user").fill("--privileged");
    await settings.getByLabel("Ulimits").fill("rtprio=99");
    await settings.getByRole("button", { name: "Save", exact: true }).click();
    await expect(settings.getByLabel("Container port")).toHaveAttribute("aria-invalid", "true");
    await expect(settings.getByLabel("Container port")).toHaveAccessibleDescription(/between 1 and 65535/);
    await expect(settings.getByLabel("Run as user")).toHaveAccessibleDescription(/A user name or id, optionally :group/);
    await expect(settings.getByLabel("Ulimits")).toHaveAccessibleDescription(/rtprio is not a limit a service may set/);
    await expect(settings.getByLabel("Memory (MiB)")).toHaveValue("64");
    await expect(page.getByTestId("pending-changes")).toHaveCount(0);
  });

  await test.step("Save lists the changes as pending until a deploy", async () => {
    await settings.getByLabel("Container port").fill("8080");
    await settings.getByLabel("CPUs").fill("0.5");
    await settings.getByLabel("PID limit").fill("128");
    // Root by number: the image's script writes to / (what root may).
    await settings.getByLabel("Run as user").fill("0:0");
    await settings.getByLabel("Working directory").fill("/srv");
    await settings.getByLabel("Shared memory (/dev/shm, MiB)").fill("128");
    await settings.getByLabel("Ulimits").fill("nofile=4096");
    await settings.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByTestId("settings-state")).toHaveText(/Saved/);
    await expect(page.getByTestId("pending-changes")).toContainText("Limits");
    await expect(page.getByTestId("pending-changes")).toContainText("Run as user");
    await expect(page.getByTestId("pending-changes")).toContainText("Working directory");
    await shot("01-pending-changes");
  });

  await test.step("change the port, entrypoint and command; Save and deploy", async () => {
    await settings.getByLabel("Container port").fill("9090");
    await settings.getByLabel("Entrypoint").fill("/bin/sh -c");
    // The image's own script, made to listen on 9090 (one argv element for sh -c).
    await settings.getByLabel("Start command").fill('"sed -i s/8080/9090/ /entry.sh && exec /bin/sh /entry.sh"');
    await settings.getByRole("button", { name: "Save and deploy" }).click();
    await expect(page).toHaveURL(/\?tab=deployments$/);
    await expect(rows).toHaveCount(2, { timeout: 15_000 });
    await expect(rows.first()).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
    await expect(status).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  });

  await test.step("it runs with the new settings, and nothing is pending", async () => {
    await openTab(page, "Overview");
    await expect(page.getByTestId("pending-changes")).toHaveCount(0);
    await expect(page.getByTestId("internal-address")).toContainText(`${api}:9090`);
    await expect.poll(() => servedBy(page, request), { timeout: 20_000 }).toContain("hello from berth");
    // The old release is retired just after the deployment is recorded live.
    await expect.poll(async () => (await runningContainersOfService(apiId)).length, { timeout: 20_000 }).toBe(1);
    const [container] = await runningContainersOfService(apiId);
    expect(container?.HostConfig.Memory).toBe(64 * MiB);
    expect(container?.HostConfig.NanoCpus).toBe(500_000_000);
    expect(container?.HostConfig.PidsLimit).toBe(128);
    expect(container?.Config.Entrypoint).toEqual(["/bin/sh", "-c"]);
    expect(container?.Config.User).toBe("0:0");
    expect(container?.Config.WorkingDir).toBe("/srv");
    expect(container?.HostConfig.ShmSize).toBe(128 * MiB);
    expect(container?.HostConfig.Ulimits).toEqual([{ Name: "nofile", Soft: 4096, Hard: 4096 }]);
    await page.goto(`/services/${apiId}?tab=settings`);
    await expect(settings.getByLabel("Container port")).toHaveValue("9090");
    await expect(settings.getByLabel("Run as user")).toHaveValue("0:0");
    await expect(settings.getByLabel("Memory (MiB)")).toHaveValue("64");
    await shot("02-settings-deployed");
  });

  await test.step("add a worker (no port): it runs", async () => {
    await page.goto(`/projects/${projectId}`);
    const form = page.getByRole("form", { name: "New service" });
    await form.getByRole("radio", { name: "Worker", exact: true }).check();
    await expect(form.getByLabel("Container port")).toHaveCount(0);
    await submitServiceForm(page, { name: worker, image: "berth-test/hello:latest", kind: "Worker" });
    await expect(page.getByRole("heading", { name: worker, level: 1 })).toBeVisible();
    created.push({ serviceId: serviceIdOf(page), serviceName: worker });
    await expect(status).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await expect(page.getByRole("navigation", { name: "Service sections" }).getByRole("link", { name: "Domains" })).toHaveCount(0);
    await openTab(page, "Overview");
    await expect(page.getByTestId("internal-address")).toContainText("A worker has no port");
    await shot("03-worker-running");
  });

  await test.step("add a volume in Settings and deploy: the project's Volumes panel shows it mounted by the service", async () => {
    await page.goto(`/services/${apiId}?tab=settings`);
    await settings.getByRole("button", { name: "Add volume" }).click();
    await settings.getByLabel("Volume 1 name").fill("data");
    await settings.getByLabel("Volume 1 mount path").fill("/data");
    created[0]!.volumes = true;
    await settings.getByRole("button", { name: "Save and deploy" }).click();
    await expect(page).toHaveURL(/\?tab=deployments$/);
    await expect(rows).toHaveCount(3, { timeout: 15_000 });
    await expect(rows.first()).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
    await page.goto(`/projects/${projectId}`);
    const volume = page.getByTestId("volumes-panel").locator('[data-testid="volume-row"][data-volume="data"]');
    await expect(volume).toBeVisible();
    await expect(volume.getByTestId("volume-used-by")).toContainText(api);
    await expect(volume.getByTestId("volume-used-by")).toContainText("/data");
    await shot("04-project-volumes");
  });
});
