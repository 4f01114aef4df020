import { describe, expect, it } from "vitest";
import { createServiceInput, updateServiceInput } from "./service-input.ts";
import { parseStatusRange, resolveStrategy } from "./runtime-settings.ts";

const projectId = "7f0c2a1e-8a36-4f4e-9d52-2c6f1d1f3a10";
const base = { projectId, name: "api", image: "berth-test/hello:latest", containerPort: 8080 };

function fieldErrors(input: Record<string, unknown>): Record<string, string> {
  const parsed = createServiceInput.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("runtime settings input", () => {
  it("takes a command line apart like a shell would, without a shell", () => {
    const parsed = createServiceInput.parse({ ...base, command: `sh -c 'echo "a b" && exec httpd -f'`, entrypoint: "" });
    expect(parsed.command).toEqual(["sh", "-c", 'echo "a b" && exec httpd -f']);
    expect(parsed.entrypoint).toBeNull();
    expect(fieldErrors({ ...base, command: "sh -c 'unclosed" })).toEqual({ command: expect.stringMatching(/quote/) });
  });

  it("takes the user to run as (empty: the image's), and refuses one that is not a user name or id at its field", () => {
    expect(createServiceInput.parse({ ...base, user: " 1000:1000 " }).user).toBe("1000:1000");
    expect(createServiceInput.parse({ ...base, user: "" }).user).toBeNull();
    expect(createServiceInput.parse(base).user).toBeNull();
    for (const bad of ["--privileged", "root root", "a:b:c", "x".repeat(40)])
      expect(fieldErrors({ ...base, user: bad })).toEqual({ user: "A user name or id, optionally :group (e.g. 1000:1000 or postgres)" });
  });

  it("takes network aliases typed with spaces or commas, and refuses one that is not a host name at its field", () => {
    expect(createServiceInput.parse({ ...base, aliases: "db, primary_db  db" }).aliases).toEqual(["db", "primary_db"]);
    expect(createServiceInput.parse(base).aliases).toEqual([]);
    expect(fieldErrors({ ...base, aliases: "ok Bad!" })).toEqual({
      aliases: "Bad!: A host name: lowercase letters, digits, - and _, in dot-separated parts (e.g. db or primary_db)",
    });
    expect(fieldErrors({ ...base, aliases: "a b c d e f g h i" })).toEqual({ aliases: "At most 8 aliases" });
  });

  it("takes a working directory (empty: the image's), and refuses a relative one at its field", () => {
    expect(createServiceInput.parse({ ...base, workingDir: " /srv/app " }).workingDir).toBe("/srv/app");
    expect(createServiceInput.parse(base).workingDir).toBeNull();
    expect(fieldErrors({ ...base, workingDir: "app" })).toEqual({ workingDir: "An absolute path inside the container (e.g. /app)" });
  });

  it("fills defaults: a web service, one replica, automatic strategy, the instance's limits", () => {
    const parsed = createServiceInput.parse(base);
    expect(parsed).toMatchObject({
      kind: "web",
      replicas: 1,
      strategy: "auto",
      restartPolicy: "unless-stopped",
      volumes: [],
      publish: null,
      deploy: false,
    });
    expect(parsed.limits).toEqual({ cpus: null, memoryMb: null, pidsLimit: null, shmMb: null });
    expect(parsed.healthCheck).toMatchObject({ type: "default", path: "/", retries: 3 });
  });

  it("reports each bad value at its field", () => {
    expect(fieldErrors({ ...base, containerPort: "" })).toEqual({ containerPort: "Port is required" });
    expect(fieldErrors({ ...base, kind: "worker" })).toEqual({ containerPort: expect.stringMatching(/worker has no port/) });
    expect(fieldErrors({ ...base, kind: "worker", containerPort: null, healthCheck: { type: "http" } })).toEqual({
      "healthCheck.type": expect.stringMatching(/no port to probe/),
    });
    expect(fieldErrors({ ...base, healthCheck: { type: "http", path: "healthz" } })).toEqual({
      "healthCheck.path": expect.stringMatching(/starts with \//),
    });
    expect(fieldErrors({ ...base, healthCheck: { type: "http", expectStatus: "2xx" } })).toEqual({
      "healthCheck.expectStatus": expect.any(String),
    });
    expect(fieldErrors({ ...base, healthCheck: { type: "command" } })).toEqual({ "healthCheck.command": expect.any(String) });
    expect(fieldErrors({ ...base, volumes: [{ name: "data", mountPath: "data" }] })).toEqual({
      "volumes.0.mountPath": expect.stringMatching(/absolute/),
    });
    expect(
      fieldErrors({
        ...base,
        volumes: [
          { name: "a", mountPath: "/data" },
          { name: "b", mountPath: "/data" },
        ],
      }),
    ).toEqual({ "volumes.1.mountPath": "Two volumes are mounted at /data" });
    expect(
      fieldErrors({
        ...base,
        volumes: [
          { name: "a", mountPath: "/x" },
          { name: "a", mountPath: "/y" },
        ],
      }),
    ).toEqual({ "volumes.1.name": "Two volumes are named a" });
    expect(fieldErrors({ ...base, volumes: [{ name: "Bad Name", mountPath: "/x" }] })).toEqual({ "volumes.0.name": expect.any(String) });
    expect(fieldErrors({ ...base, limits: { memoryMb: 2 } })).toEqual({ "limits.memoryMb": "At least 6 MiB" });
    expect(fieldErrors({ ...base, limits: { cpus: -1 } })).toEqual({ "limits.cpus": expect.any(String) });
    expect(fieldErrors({ ...base, limits: { pidsLimit: 5 } })).toEqual({ "limits.pidsLimit": expect.any(String) });
    expect(fieldErrors({ ...base, replicas: 11 })).toEqual({ replicas: "At most 10" });
    expect(fieldErrors({ ...base, replicas: 3, strategy: "start_first", volumes: [{ name: "d", mountPath: "/d" }] })).toEqual({
      replicas: expect.stringMatching(/stop-first/),
    });
    expect(fieldErrors({ ...base, publish: { hostPort: 5432 } })).toEqual({ publish: expect.stringMatching(/Only TCP services/) });
    expect(fieldErrors({ ...base, kind: "tcp", publish: { hostPort: 5432, bindAddress: "localhost" } })).toEqual({
      "publish.bindAddress": expect.any(String),
    });
    expect(fieldErrors({ ...base, kind: "tcp", strategy: "start_first", publish: { hostPort: 5432 } })).toEqual({
      strategy: expect.stringMatching(/stop-first/),
    });
  });

  it("accepts a worker without a port and a TCP service published on loopback", () => {
    expect(createServiceInput.parse({ ...base, kind: "worker", containerPort: null }).containerPort).toBeNull();
    const tcp = createServiceInput.parse({ ...base, kind: "tcp", containerPort: 5432, publish: { hostPort: 15432 } });
    expect(tcp.publish).toEqual({ hostPort: 15432, bindAddress: "127.0.0.1" });
  });

  it("an update may leave the access token empty to keep the stored one", () => {
    const parsed = updateServiceInput.safeParse({
      serviceId: projectId,
      name: "api",
      source: "git",
      git: { url: "https://git.example.com/a/b.git", auth: "token" },
      containerPort: 8080,
    });
    expect(parsed.success).toBe(true);
  });

  it("resolves the automatic strategy and status ranges", () => {
    expect(resolveStrategy("auto", true, false)).toBe("stop_first");
    expect(resolveStrategy("auto", false, true)).toBe("stop_first");
    expect(resolveStrategy("auto", false, false)).toBe("start_first");
    expect(resolveStrategy("start_first", true, false)).toBe("start_first");
    expect(parseStatusRange("204")).toEqual({ min: 204, max: 204 });
    expect(parseStatusRange("200-299")).toEqual({ min: 200, max: 299 });
    expect(parseStatusRange("299-200")).toBeNull();
    expect(parseStatusRange("700")).toBeNull();
  });
});
