import { describe, expect, it } from "vitest";
import { buildOneOffContainerSpec } from "./one-off-spec.ts";
import type { ReleaseSpec } from "./port-types.ts";

const release: ReleaseSpec = {
  owner: { teamId: "team_1", projectId: "proj-1", serviceId: "svcABCDEFGH123" },
  deploymentId: "dep12345678xyz",
  serviceName: "web",
  image: "berth-release/svc:dep",
  containerPort: 8080,
  primaryHostPorts: [20000],
  env: { SECRET: "s3cret" },
  network: { scope: "project", aliases: ["web.p.internal"] },
  volumes: [{ type: "volume", name: "data", target: "/data" }],
  entrypoint: ["/docker-entrypoint.sh"],
  command: ["serve"],
  user: "1000:1000",
  workingDir: "/srv/app",
};

describe("buildOneOffContainerSpec", () => {
  const options = buildOneOffContainerSpec({ release, runId: "run98765432abc", argv: ["sh", "-c", "echo $SECRET; exit 3"] });

  it("is not a release container: own name, one-off label, no deployment label", () => {
    expect(options.name).toBe("berth-web-svcABCDE-run-run98765");
    expect(options.Labels).toEqual({
      "io.berth.managed-by": "berth",
      "io.berth.team": "team_1",
      "io.berth.project": "proj-1",
      "io.berth.service": "svcABCDEFGH123",
      "io.berth.one-off": "run98765432abc",
    });
  });

  it("runs exactly the argv with the release's env, user, network and mounts; no ports, no restart", () => {
    expect(options.User).toBe("1000:1000");
    expect(options.WorkingDir).toBe("/srv/app");
    expect(options.Entrypoint).toEqual(["sh"]);
    expect(options.Cmd).toEqual(["-c", "echo $SECRET; exit 3"]);
    expect(options.Env).toEqual(["SECRET=s3cret"]);
    expect(options.ExposedPorts).toEqual({});
    expect(options.HostConfig?.PortBindings).toEqual({});
    expect(options.HostConfig?.RestartPolicy).toEqual({ Name: "no" });
    expect(options.HostConfig?.NetworkMode).toBe("berth-p-proj-1");
    expect(options.HostConfig?.Mounts).toEqual([{ Type: "volume", Source: "berth-proj-1-data", Target: "/data", ReadOnly: false }]);
    // Never answers to the service's DNS names: only the release does.
    expect(options.NetworkingConfig).toEqual({ EndpointsConfig: { "berth-p-proj-1": {} } });
  });

  it("without an argv runs the release's own entrypoint and command (a stack job)", () => {
    const job = buildOneOffContainerSpec({
      release: { ...release, entrypoint: ["/entry.sh"], command: ["migrate", "--up"] },
      runId: "run98765432abc",
      argv: null,
    });
    expect([job.Entrypoint, job.Cmd]).toEqual([["/entry.sh"], ["migrate", "--up"]]);
    const { entrypoint: _e, command: _c, ...noCommand } = release;
    const imageDefaults = buildOneOffContainerSpec({ release: noCommand, runId: "run98765432abc", argv: null });
    expect([imageDefaults.Entrypoint, imageDefaults.Cmd]).toEqual([undefined, undefined]);
    expect(imageDefaults.HostConfig?.RestartPolicy).toEqual({ Name: "no" });
  });

  it("refuses an empty command", () => {
    expect(() => buildOneOffContainerSpec({ release, runId: "run98765432abc", argv: [] })).toThrow(/non-empty/);
  });
});
