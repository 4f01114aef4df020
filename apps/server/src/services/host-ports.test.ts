import { describe, expect, it } from "vitest";
import { readEnv } from "../config/env.ts";
import { berthPortReason } from "./host-ports.ts";

describe("ports Berth keeps for itself", () => {
  const env = readEnv({
    NODE_ENV: "test",
    DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db",
    BERTH_SECRET: "x".repeat(64),
    BERTH_PORT: "3100",
    BERTH_PROXY_ADMIN: "127.0.0.1:2019",
    BERTH_PROXY_HTTPS_PORT: "8443",
  });

  it.each([
    [3100, "Port 3100 is used by Berth itself (Berth's dashboard and API): choose another"],
    [80, "Port 80 is used by Berth itself (the edge proxy (HTTP)): choose another"],
    [8443, "Port 8443 is used by Berth itself (the edge proxy (HTTPS)): choose another"],
    [2019, "Port 2019 is used by Berth itself (the edge proxy's admin API): choose another"],
    [2021, "Port 2021 is used by Berth itself (the edge proxy's hand-over server): choose another"],
    [20500, "Ports 20000-29999 are reserved for Berth's edge proxy: choose another"],
  ])("refuses %s", (port, reason) => {
    expect(berthPortReason(env, port)).toBe(reason);
  });

  it("leaves other ports to the user, and a unix-socket admin API holds no port", () => {
    expect(berthPortReason(env, 15432)).toBeNull();
    expect(berthPortReason({ ...env, BERTH_PROXY_ADMIN: "unix:/var/lib/berth/caddy/admin.sock" }, 2019)).toBeNull();
  });
});
