import { describe, expect, it } from "vitest";
import { externalUrl, publicPortInput } from "./public-port-input.ts";

const serviceId = "7c1d3f7e-8a7b-4f55-9d6a-3c2b1a0f9e8d";
const issueAt = (input: Record<string, unknown>) =>
  publicPortInput.safeParse({ serviceId, ...input }).error?.issues.map((i) => ({ path: i.path, message: i.message }));

describe("a database's published port: input", () => {
  it("defaults to this host only and needs a port only when turned on", () => {
    expect(publicPortInput.parse({ serviceId, enabled: true, hostPort: "15432" })).toEqual({
      serviceId,
      enabled: true,
      hostPort: 15432,
      bindAddress: "127.0.0.1",
    });
    expect(publicPortInput.parse({ serviceId, enabled: false, hostPort: "" })).toEqual({
      serviceId,
      enabled: false,
      hostPort: undefined,
      bindAddress: "127.0.0.1",
    });
    expect(issueAt({ enabled: true, hostPort: "" })).toEqual([
      { path: ["hostPort"], message: "Enter the host port to publish (1024-65535)" },
    ]);
  });

  it.each([
    [80, "Choose a port between 1024 and 65535"],
    [65536, "Choose a port between 1024 and 65535"],
    [5432.5, "The port must be a whole number"],
    ["five", "The port must be a number"],
  ])("refuses port %s at the port field", (hostPort, message) => {
    expect(issueAt({ enabled: true, hostPort })).toEqual([{ path: ["hostPort"], message }]);
  });

  it("takes 127.0.0.1 or 0.0.0.0 only", () => {
    expect(publicPortInput.parse({ serviceId, enabled: true, hostPort: 15432, bindAddress: "0.0.0.0" }).bindAddress).toBe("0.0.0.0");
    expect(issueAt({ enabled: true, hostPort: 15432, bindAddress: "10.0.0.5" })).toEqual([
      { path: ["bindAddress"], message: "Choose 127.0.0.1 (this host only) or 0.0.0.0 (all interfaces)" },
    ]);
  });
});

describe("the external connection URL", () => {
  const internal = "postgresql://${{pg.POSTGRES_USER}}:${{pg.POSTGRES_PASSWORD}}@pg:5432/${{pg.POSTGRES_DB}}";

  it("uses 127.0.0.1 for a loopback port and the public host for every interface; the password stays a reference", () => {
    expect(
      externalUrl(internal, { host: "pg", port: 5432 }, { hostPort: 15432, bindAddress: "127.0.0.1" }, "https://berth.example.com"),
    ).toBe("postgresql://${{pg.POSTGRES_USER}}:${{pg.POSTGRES_PASSWORD}}@127.0.0.1:15432/${{pg.POSTGRES_DB}}");
    expect(
      externalUrl(internal, { host: "pg", port: 5432 }, { hostPort: 15432, bindAddress: "0.0.0.0" }, "https://berth.example.com:8443"),
    ).toBe("postgresql://${{pg.POSTGRES_USER}}:${{pg.POSTGRES_PASSWORD}}@berth.example.com:15432/${{pg.POSTGRES_DB}}");
  });
});
