import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../apps/server/test/git-fixture.ts";
import { providerHeaders, pushFixtures, retarget } from "../../apps/server/test/webhook-fixtures.ts";
import { ownerPage, signUp } from "./support/account.ts";
import { createProject, openTab, serviceIdOf, servedText as servedBy, submitGitServiceForm } from "./support/dashboard.ts";
import { deleteService } from "./support/service.ts";
import { setLocalSources } from "./support/settings.ts";
import { uniqueSuffix } from "./support/unique.ts";

let fixture: GitFixture;

test.beforeAll(async () => {
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("webhook-release-one") });
});

test.afterAll(async () => {
  await fixture.close();
});

test("push to deploy: a commit pushed to the repository plus a signed webhook call gets that commit served", async ({
  page,
  request,
  browser,
}, testInfo) => {
  const id = uniqueSuffix();
  const serviceName = `hook-${id}`;
  const secretValue = `sk-e2e-${randomBytes(8).toString("hex")}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const servedText = () => servedBy(page, request);

  const { owner: isOwner } = await test.step("sign up", () => signUp(page));
  const owner = isOwner ? page : await ownerPage(browser);
  await setLocalSources(owner, true);

  const serviceId = await test.step("create a git service", async () => {
    await page.goto("/");
    await createProject(page, `Hooks ${id}`);
    // Not deployed at creation: the webhook makes the first deployment.
    await submitGitServiceForm(page, { name: serviceName, url: fixture.url, branch: "main", deploy: false });
    await expect(page.getByRole("heading", { name: serviceName, level: 1 })).toBeVisible();
    return serviceIdOf(page);
  });

  await test.step("a secret variable is write-only after saving", async () => {
    await openTab(page, "Variables");
    const env = page.getByTestId("env-service");
    await env.getByRole("button", { name: "Add variable" }).click();
    await env.getByLabel("Variable 1 name").fill("API_KEY");
    await env.getByLabel("Variable 1 value").fill(secretValue);
    await env.getByLabel("Variable 1 secret").check();
    await env.getByRole("button", { name: "Save variables" }).click();
    await expect(env.getByRole("status")).toHaveText(/Saved/);
    await page.reload();
    await expect(page.getByTestId("env-service").getByLabel("Variable 1 value")).toHaveAttribute("placeholder", /saved/);
    await expect(page.getByTestId("env-service").getByLabel("Variable 1 value")).toHaveValue("");
    expect(await page.content()).not.toContain(secretValue);
  });

  const { url, secret } = await test.step("generate the webhook secret (shown once)", async () => {
    await openTab(page, "Webhooks");
    const hooks = page.getByTestId("hooks-panel");
    await hooks.getByRole("button", { name: "Generate secret" }).click();
    const secret = await hooks.getByTestId("webhook-secret").inputValue();
    const url = await hooks.getByTestId("webhook-url").inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(url).toBe(`${new URL(page.url()).origin}/hooks/git/${serviceId}`);
    return { url, secret };
  });

  await test.step("bad signatures and other branches deploy nothing", async () => {
    const github = pushFixtures()[0]!;
    const other = retarget(github, "feature", fixture.commit({ Dockerfile: helloDockerfile("feature-branch") }, "feature work", "feature"));
    const raw = Buffer.from(JSON.stringify(other.body));
    const ignored = await request.post(url, { headers: providerHeaders("github", raw, secret, { deliveryId: `e2e-${id}-0` }), data: raw });
    expect(ignored.status()).toBe(202);
    expect(await ignored.json()).toMatchObject({ deployed: false });
    const forged = await request.post(url, {
      headers: {
        ...providerHeaders("github", raw, secret, { deliveryId: `e2e-${id}-x` }),
        "x-hub-signature-256": `sha256=${createHmac("sha256", "wrong").update(raw).digest("hex")}`,
      },
      data: raw,
    });
    expect(forged.status()).toBe(401);
    await openTab(page, "Deployments");
    await expect(page.getByTestId("deployment-row")).toHaveCount(0);
  });

  await test.step("push a commit and call the webhook: exactly that commit is built and served", async () => {
    const sha = fixture.commit({ Dockerfile: helloDockerfile("pushed-by-webhook") }, "deploy me by webhook");
    const push = retarget(pushFixtures()[0]!, "main", sha);
    const raw = Buffer.from(JSON.stringify(push.body));
    const res = await request.post(url, { headers: providerHeaders("github", raw, secret, { deliveryId: `e2e-${id}-1` }), data: raw });
    expect(res.status()).toBe(202);
    expect(await res.json()).toMatchObject({ deployed: true, commit: sha });
    // Answered before the build ran: right after the answer the deployment is still under way (a
    // clone and build take seconds); a receiver that waited for the build would find it finished.
    const listed = await page.request.get(`/trpc/deployments.list?input=${encodeURIComponent(JSON.stringify({ serviceId }))}`);
    const deployments = ((await listed.json()) as { result: { data: Array<{ commitSha: string | null; status: string }> } }).result.data;
    expect(deployments.find((d) => d.commitSha === sha)?.status).toMatch(/^(queued|cloning|building|releasing)$/);
    // A redelivery of the same delivery deploys nothing more.
    const again = await request.post(url, { headers: providerHeaders("github", raw, secret, { deliveryId: `e2e-${id}-1` }), data: raw });
    expect(await again.json()).toMatchObject({ duplicate: true });

    const rows = page.getByTestId("deployment-row");
    await expect(rows).toHaveCount(1, { timeout: 15_000 });
    await expect(rows.first()).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
    await expect(rows.first()).toContainText("deploy me by webhook");
    await expect(rows.first()).toContainText(sha.slice(0, 7));
    await expect.poll(servedText, { timeout: 20_000 }).toContain("pushed-by-webhook");
    await openTab(page, "Webhooks");
    const deliveries = page.getByTestId("delivery-row");
    await expect(deliveries.filter({ hasText: "deployed" })).toHaveCount(1);
    await expect(deliveries.filter({ hasText: "rejected" })).toHaveCount(1);
    await expect(deliveries.filter({ hasText: "ignored" })).toHaveCount(1);
    await shot("01-webhook-deployed");
  });

  await test.step("clean up", async () => {
    await deleteService(page, serviceId, serviceName);
    await expect(page.getByText("No services yet")).toBeVisible();
  });

  await test.step("a notification channel of the project sends a test message on request", async () => {
    const received: Array<{ path: string; body: { event?: string } }> = [];
    const receiver = createServer((req, res) => {
      let data = "";
      req.on("data", (c: Buffer) => (data += c.toString()));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body: JSON.parse(data) as { event?: string } });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const panel = page.getByTestId("notifications-panel");
      await panel.getByLabel("Channel").selectOption("webhook");
      await panel.getByLabel("Name").fill(`ops-${id}`);
      await panel.getByLabel("Webhook URL").fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook-${id}`);
      await panel.getByRole("button", { name: "Add channel" }).click();
      const row = panel.getByTestId("channel-row").filter({ hasText: `ops-${id}` });
      await row.getByRole("button", { name: "Send test" }).click();
      await expect(row.getByTestId("channel-test-result")).toHaveText("Test message sent.");
      await expect(row).toContainText("last: sent");
      expect(received).toEqual([{ path: `/hook-${id}`, body: expect.objectContaining({ event: "notification.test" }) }]);
    } finally {
      receiver.close();
    }
  });
  await setLocalSources(owner, false);
  if (owner !== page) await owner.context().close();
});
