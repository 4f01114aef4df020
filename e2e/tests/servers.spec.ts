import { expect, test } from "@playwright/test";
import { startEngineNodes, type EngineNodes } from "../../apps/server/test/engine-nodes.ts";
import { ownerPage, signUp } from "./support/account.ts";
import { uniqueSuffix } from "./support/unique.ts";

let nodes: EngineNodes;

test.beforeAll(async () => {
  nodes = await startEngineNodes(1);
});

test.afterAll(async () => {
  await nodes?.close();
});

test("the owner adds a server over TCP+TLS on the Servers page and sees its state", async ({ page, browser }) => {
  const id = uniqueSuffix();
  const node = nodes.nodes[0]!;
  const { owner: isOwner } = await signUp(page);
  const owner = isOwner ? page : await ownerPage(browser);
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Servers" }).click();
  await expect(owner.getByRole("heading", { name: "Servers", level: 1 })).toBeVisible();
  const form = owner.getByRole("form", { name: "Add a server" });

  await test.step("a bad host and a pasted non-certificate are refused at their fields", async () => {
    await form.getByLabel("Name").fill(`node-${id}`);
    await form.getByLabel("Host").fill("not a host!");
    await form.getByLabel("CA certificate").fill("hello");
    await form.getByLabel("Client certificate").fill(node.clientTls.cert);
    await form.getByLabel("Client key").fill(node.clientTls.key);
    await form.getByRole("button", { name: "Add server" }).click();
    await expect(form.getByText(/Enter a host name .* or an IP address/)).toBeVisible();
    await expect(form.getByText(/Not a PEM certificate/)).toBeVisible();
    await expect(owner.getByTestId(`server-node-${id}`)).toHaveCount(0);
  });

  await test.step("with the node's address and certificates it is reachable, with its Docker version and resources", async () => {
    await form.getByLabel("Host").fill(node.address);
    await form.getByLabel("CA certificate").fill(node.clientTls.ca);
    await form.getByRole("button", { name: "Add server" }).click();
    const row = owner.getByTestId(`server-node-${id}`);
    await expect(row.getByTestId("server-state")).toHaveAttribute("data-status", "reachable");
    await expect(row.getByTestId("server-resources")).toContainText(/Docker \d+\.\d+.* CPUs/);
  });

  await test.step("cluster mode: a cluster created on it shows it as a ready manager; a bad label is refused at its field, a good one saved", async () => {
    const create = owner.getByRole("form", { name: "Create cluster" });
    await create.getByLabel("Server").selectOption({ label: `node-${id} (reachable)` });
    await create.getByRole("button", { name: "Create cluster" }).click();
    await expect(owner.getByTestId("cluster-summary")).toContainText(`managed through node-${id}`);
    const row = owner.getByTestId(`server-node-${id}`);
    await expect(row.getByTestId("node-role")).toHaveText("Manager");
    await expect(row.getByTestId("node-state")).toHaveAttribute("data-status", "ready");
    await row.getByRole("button", { name: "Edit labels" }).click();
    const labels = row.getByRole("form", { name: "Node labels" });
    await labels.getByLabel("Label 1 key").fill("bad key");
    await labels.getByLabel("Label 1 value").fill("east");
    await labels.getByRole("button", { name: "Save labels" }).click();
    await expect(labels.getByText(/Letters, digits, dots/)).toBeVisible();
    await labels.getByLabel("Label 1 key").fill("zone");
    await labels.getByRole("button", { name: "Save labels" }).click();
    await expect(row.getByTestId("node-labels")).toHaveText("zone=east");
  });

  await test.step("its engine stops: Check now shows it unreachable with the reason", async () => {
    await node.stopDockerd();
    const row = owner.getByTestId(`server-node-${id}`);
    await row.getByRole("button", { name: "Check now" }).click();
    await expect(row.getByTestId("server-state")).toHaveAttribute("data-status", "unreachable");
    await expect(row.getByTestId("server-reason")).toContainText("ECONNREFUSED");
  });

  await test.step("remove: the last node takes cluster mode with it", async () => {
    owner.once("dialog", (dialog) => void dialog.accept());
    await owner.getByTestId(`server-node-${id}`).getByRole("button", { name: "Remove" }).click();
    await expect(owner.getByTestId(`server-node-${id}`)).toHaveCount(0);
    await expect(owner.getByTestId("cluster-summary")).toContainText("Cluster mode is off");
  });
  if (owner !== page) await owner.close();
});
