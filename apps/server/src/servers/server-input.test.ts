import { describe, expect, it } from "vitest";
import { addServerInput } from "./server-input.ts";

const paths = (input: unknown) => {
  const parsed = addServerInput.safeParse(input);
  return parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => i.path.join(".")))];
};

describe("addServerInput", () => {
  it("takes host names, IPv4 and IPv6 addresses, with each kind's default port", () => {
    expect(addServerInput.parse({ kind: "ssh", name: "w2", host: "node2.example.com", username: "deploy" })).toMatchObject({ port: 22 });
    expect(addServerInput.parse({ kind: "ssh", name: "w3", host: "10.0.0.3", username: "root", port: "2222" })).toMatchObject({
      port: 2222,
    });
    expect(paths({ kind: "ssh", name: "w4", host: "fd00::4", username: "root" })).toEqual([]);
    expect(addServerInput.parse({ kind: "socket", name: "local" })).toMatchObject({ socketPath: "/var/run/docker.sock" });
  });

  it("puts each bad value at its own field", () => {
    expect(paths({ kind: "ssh", name: "Bad Name!", host: "a b", username: "root;id", port: 0 }).sort()).toEqual([
      "host",
      "name",
      "port",
      "username",
    ]);
    expect(paths({ kind: "ssh", name: "w", host: "-oProxyCommand=x", username: "root" })).toEqual(["host"]);
    expect(paths({ kind: "tls", name: "w", host: "10.0.0.2", ca: "", cert: "x", key: "y" }).sort()).toEqual(["ca", "cert", "key"]);
    expect(paths({ kind: "socket", name: "w", socketPath: "relative.sock" })).toEqual(["socketPath"]);
    expect(paths({ kind: "ftp", name: "w" })).toEqual(["kind"]);
  });
});
