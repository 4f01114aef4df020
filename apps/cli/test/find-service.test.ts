import { describe, expect, it } from "vitest";
import { findService } from "../src/session.js";

const svc = (project: string, name: string) => ({
  id: `${project}-${name}`,
  name,
  kind: "web",
  desiredState: "running",
  project: { id: project, name: project },
  latestDeployment: null,
});
const services = [svc("shop", "web"), svc("shop", "worker"), svc("blog", "web")];

describe("naming a service as in the dashboard", () => {
  it("finds project/service, and a bare name when only one project has it", () => {
    expect(findService(services, "blog/web").id).toBe("blog-web");
    expect(findService(services, "worker").id).toBe("shop-worker");
  });

  it("refuses an ambiguous bare name and an unknown one, listing what exists", () => {
    expect(() => findService(services, "web")).toThrow('"web" is in several projects (shop/web, blog/web): name it as project/service');
    expect(() => findService(services, "shop/api")).toThrow('Unknown service "shop/api". Services: shop/web, shop/worker, blog/web');
    expect(() => findService([], "api")).toThrow("This team has no services yet.");
  });
});
