import { describe, expect, it } from "vitest";
import { buildContainerSpec, buildEnv, buildPorts } from "./container-spec.ts";
import { specHash } from "./spec-hash.ts";
import { EngineError } from "./errors.ts";
import type { ReleaseSpec } from "./port-types.ts";

const spec: ReleaseSpec = {
  owner: { teamId: "team_1", projectId: "proj-1", serviceId: "svcABCDEFGH123" },
  deploymentId: "dep12345678xyz",
  serviceName: "web",
  image: "registry.example.com:5000/acme/web:1.2.3",
  containerPort: 8080,
  env: { PORT: "8080", DATABASE_URL: "postgres://u:p@db/x" },
};

describe("buildContainerSpec", () => {
  it("builds the exact create options", () => {
    expect(buildContainerSpec(spec)).toEqual({
      name: "berth-web-svcABCDE-dep12345",
      Image: "registry.example.com:5000/acme/web:1.2.3",
      Env: ["DATABASE_URL=postgres://u:p@db/x", "PORT=8080"],
      Labels: {
        "io.berth.managed-by": "berth",
        "io.berth.team": "team_1",
        "io.berth.project": "proj-1",
        "io.berth.service": "svcABCDEFGH123",
        "io.berth.deployment": "dep12345678xyz",
        "io.berth.replica": "0",
        "io.berth.spec-hash": specHash(spec),
      },
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: {
        PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
        RestartPolicy: { Name: "unless-stopped" },
        Init: true,
        LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
      },
    });
  });

  it("sets Cmd only when a command is given, as an argv copy", () => {
    expect(buildContainerSpec(spec)).not.toHaveProperty("Cmd");
    const command = ["sh", "-c", "echo $HOME; exit 3"];
    const built = buildContainerSpec({ ...spec, command });
    expect(built.Cmd).toEqual(["sh", "-c", "echo $HOME; exit 3"]);
    expect(built.Cmd).not.toBe(command);
  });

  it("passes hostile env values through unchanged, as data", () => {
    const hostile = {
      INJECT: "$(rm -rf /)",
      TICKS: "`reboot`",
      QUOTES: `it's "quoted" \\ back\\slash`,
      MULTILINE: "line1\nline2\r\nline3",
      SEMI: "a; rm -rf / && echo pwned | sh",
      UNICODE: "héllo wörld ✓ 🚢 日本語",
      EQUALS: "a=b=c",
      EMPTY: "",
    };
    const env = buildContainerSpec({ ...spec, env: hostile }).Env ?? [];
    expect(env).toEqual([
      "EMPTY=",
      "EQUALS=a=b=c",
      "INJECT=$(rm -rf /)",
      "MULTILINE=line1\nline2\r\nline3",
      `QUOTES=it's "quoted" \\ back\\slash`,
      "SEMI=a; rm -rf / && echo pwned | sh",
      "TICKS=`reboot`",
      "UNICODE=héllo wörld ✓ 🚢 日本語",
    ]);
    // Each entry splits back to exactly the original value at the first "=".
    for (const entry of env) {
      const eq = entry.indexOf("=");
      expect(hostile[entry.slice(0, eq) as keyof typeof hostile]).toBe(entry.slice(eq + 1));
    }
  });

  it("is deterministic whatever the env insertion order", () => {
    expect(buildEnv({ B: "2", A: "1" })).toEqual(buildEnv({ A: "1", B: "2" }));
  });

  it("does not mutate its input", () => {
    const copy = structuredClone(spec);
    buildContainerSpec(spec);
    expect(spec).toEqual(copy);
  });

  it("throws INVALID for a name it cannot build", () => {
    expect(() => buildContainerSpec({ ...spec, serviceName: "Web; rm -rf /" })).toThrow(EngineError);
    expect(() => buildContainerSpec({ ...spec, deploymentId: "../x" })).toThrow(/deployment id/);
  });
});

describe("publishing the primary port once more", () => {
  it("keeps the loopback binding first and adds the fixed one (a database on a host port)", () => {
    const { bindings } = buildPorts({ containerPort: 5432, ports: [{ containerPort: 5432, hostIp: "0.0.0.0", hostPort: 15432 }] });
    expect(bindings["5432/tcp"]).toEqual([
      { HostIp: "127.0.0.1", HostPort: "" },
      { HostIp: "0.0.0.0", HostPort: "15432" },
    ]);
  });
});

describe("a release on a remote server's engine", () => {
  it("binds its primary port to publishHostIp there (the edge proxy on Berth's host dials it)", () => {
    const { bindings } = buildPorts({ containerPort: 8080, primaryHostPort: 20001, publishHostIp: "0.0.0.0" });
    expect(bindings["8080/tcp"]).toEqual([{ HostIp: "0.0.0.0", HostPort: "20001" }]);
  });
});
