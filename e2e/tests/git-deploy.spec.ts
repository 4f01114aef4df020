import { expect, test } from "@playwright/test";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../apps/server/test/git-fixture.ts";
import { hasOwner, ownerPage, signUp } from "./support/account.ts";
import { createProject, serviceIdOf, servedText as servedBy, submitGitServiceForm } from "./support/dashboard.ts";
import { deleteService } from "./support/service.ts";
import { setLocalSources } from "./support/settings.ts";
import { uniqueSuffix } from "./support/unique.ts";

let fixture: GitFixture;

test.beforeAll(async () => {
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("release-one-from-git") });
});

test.afterAll(async () => {
  await fixture.close();
});

test("create a service from git, watch the build log live, redeploy a pushed change, roll back to release 1", async ({
  page,
  request,
  browser,
}, testInfo) => {
  const id = uniqueSuffix();
  const serviceName = `git-${id}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const rows = page.getByTestId("deployment-row");
  const status = page.getByTestId("service-status");
  const servedText = () => servedBy(page, request);

  const { owner: isOwner } = await test.step("sign up", () => signUp(page));
  const owner = isOwner ? page : await ownerPage(browser);

  await test.step("a loopback repository is refused at the field while local sources are off", async () => {
    await setLocalSources(owner, false);
    await page.goto("/");
    await createProject(page, `Git ${id}`);
    await submitGitServiceForm(page, { name: serviceName, url: fixture.url });
    const form = page.getByRole("form", { name: "New service" });
    await expect(form.getByLabel("Repository URL")).toHaveAccessibleDescription(
      /is refused .*unless an instance admin enables local sources/,
    );
  });

  const serviceId = await test.step("enable local sources and create the git service", async () => {
    const projectUrl = page.url();
    await setLocalSources(owner, true);
    if (owner === page) await page.goto(projectUrl);
    await submitGitServiceForm(page, { name: serviceName, url: fixture.url, branch: "main", deploy: false });
    await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
    await expect(page.getByTestId("service-source")).toContainText(fixture.url);
    return serviceIdOf(page);
  });

  await test.step("deploy: the build log streams live, release 1 serves the repository's content", async () => {
    await page.evaluate(() => Object.assign(window, { __berthNoReload: true }));
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    const log = page.getByTestId("build-log");
    // The stage progress above the log: clone -> build -> release, the current one marked.
    const stages = page.getByRole("list", { name: "Deployment stages" });
    const stage = (key: string) => stages.locator(`li[data-stage="${key}"]`);
    await expect(stages.locator('li[aria-current="step"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(log).toContainText("Cloning http://127.0.0.1", { timeout: 30_000 });
    await expect(log).toContainText("berth-test/hello:latest", { timeout: 30_000 });
    await expect(log).toContainText("Release 1 is live", { timeout: 60_000 });
    for (const key of ["clone", "build", "release"]) {
      await expect(stage(key)).toHaveAttribute("data-state", "done", { timeout: 30_000 });
      await expect(stage(key)).toContainText(/done in \d/);
    }
    await expect(stages.locator('li[aria-current="step"]')).toHaveCount(0);
    await expect(rows.first()).toHaveAttribute("data-status", "succeeded");
    await expect(rows.first().getByTestId("release-number")).toHaveText("#1");
    await expect(status).toHaveAttribute("data-status", "running", { timeout: 30_000 });
    await expect.poll(servedText, { timeout: 15_000 }).toContain("release-one-from-git");
    expect(await page.evaluate(() => (window as unknown as { __berthNoReload?: boolean }).__berthNoReload)).toBe(true);
    await shot("01-git-release-1");
  });

  await test.step("push a change and redeploy: release 2 serves the new content", async () => {
    fixture.commit({ Dockerfile: helloDockerfile("release-two-from-git") }, "second release");
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(rows.first().getByTestId("release-number")).toHaveText("#2", { timeout: 60_000 });
    await expect(rows.first()).toContainText("second release");
    await expect.poll(servedText, { timeout: 20_000 }).toContain("release-two-from-git");
    await shot("02-git-release-2");
  });

  await test.step("roll back to release 1 in one click: release 1's content is served again", async () => {
    await page.getByRole("button", { name: "Roll back to #1" }).first().click();
    // It asks first; Cancel leaves everything as it was.
    const confirm = page.getByRole("dialog", { name: "Roll back to release #1?" });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
    await page.getByRole("button", { name: "Roll back to #1" }).first().click();
    await confirm.getByRole("button", { name: "Roll back" }).click();
    await expect(rows.first()).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
    await expect(rows.first()).toContainText("Rollback");
    await expect(rows.first().getByTestId("release-number")).toHaveText("#3");
    await expect(rows.first().getByTestId("live-release")).toBeVisible();
    await expect.poll(servedText, { timeout: 20_000 }).toContain("release-one-from-git");
    await shot("03-git-rolled-back");
  });

  await test.step("clean up: delete the service, nothing left on the engine", async () => {
    await deleteService(page, serviceId, serviceName);
    await expect(page.getByText("No services yet")).toBeVisible();
  });

  await setLocalSources(owner, false);
  if (owner !== page) await owner.context().close();
});

test("a 100k-line build log streams to the viewer, which stays responsive (only visible rows are rendered)", async ({
  page: ownPage,
  browser,
}) => {
  const id = uniqueSuffix();
  const serviceName = `loud-${id}`;
  // 100k lines over ~5 s: BuildKit (the default builder) clips a step printing faster than the
  // daemon's BUILDKIT_STEP_LOG_MAX_SPEED (200 KiB/s unless dockerd was started by infra/lib/docker.sh).
  const loud = "for i in 0 1 2 3 4 5 6 7 8 9; do seq $((i*10000+1)) $((i*10000+10000)); usleep 500000; done";
  fixture.commit({ Dockerfile: helloDockerfile("loud", `RUN echo loud-${id} && ${loud}\n`) }, "loud build", `loud-${id}`);
  // Acts as the instance owner (one sign-in; sign-in/up are rate-limited per address).
  const page = hasOwner() ? await ownerPage(browser) : (await signUp(ownPage), ownPage);
  const owner = page;
  await setLocalSources(owner, true);
  await page.goto("/");
  await createProject(page, `Loud ${id}`);
  await submitGitServiceForm(page, { name: serviceName, url: fixture.url, branch: `loud-${id}`, deploy: false });
  await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const log = page.getByTestId("build-log");
  await expect(log).toContainText("Release 1 is live", { timeout: 90_000 });
  const total = Number(await log.getAttribute("data-lines"));
  expect(total).toBeGreaterThan(100_000);
  // Virtualised: a few dozen rows in the DOM, not 100k.
  expect(await log.locator("[data-seq]").count()).toBeLessThan(200);

  // Jump to the middle and to the top: the rows there render, and still only a window of them
  // (how fast is a figure in the test's annotations; a generous deadline here).
  for (const fraction of [0.5, 0]) {
    const ms = await log.evaluate(async (el, f) => {
      const started = performance.now();
      el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
      el.dispatchEvent(new Event("scroll"));
      const target = Math.floor(((el.scrollHeight - el.clientHeight) * f) / 20);
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const seqs = Array.from(el.querySelectorAll<HTMLElement>("[data-seq]"), (n) => Number(n.dataset.seq));
        if (seqs.some((s) => Math.abs(s - target) < 60)) return performance.now() - started;
        if (performance.now() - started > 30_000) return null;
      }
    }, fraction);
    expect(ms, `rows rendered after scrolling to ${fraction * 100}%`).not.toBeNull();
    test.info().annotations.push({ type: "figure", description: `render after scrolling to ${fraction * 100}%: ${Math.round(ms!)} ms` });
    expect(await log.locator("[data-seq]").count()).toBeLessThan(200);
  }
  await expect(log.locator('[data-seq="0"]')).toBeVisible();

  // From a fresh load of the service page (not the one holding 100k lines), like the other tests.
  await deleteService(page, serviceIdOf(page), serviceName);
  await expect(page.getByText("No services yet")).toBeVisible();
  await setLocalSources(owner, false);
  if (page !== ownPage) await page.context().close();
});
