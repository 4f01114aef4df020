import { describe, expect, it } from "vitest";
import {
  detachedVolumeNames,
  effectiveStrategy,
  formFromService,
  isDirty,
  isPublicBind,
  isSettingsField,
  newVolumeRow,
  updateInputOf,
  volumeErrorsByRow,
  type SettingsForm,
  type SettingsSource,
} from "./service-settings-form";

function inputOf(form: SettingsForm, serviceId: string, deploy: boolean) {
  const built = updateInputOf(form, serviceId, deploy);
  if ("fieldErrors" in built) throw new Error(`unexpected field errors: ${JSON.stringify(built.fieldErrors)}`);
  return built;
}

const base: SettingsSource = {
  name: "api",
  image: "berth-test/hello:latest",
  source: { type: "image" },
  settings: {
    kind: "web",
    containerPort: 8080,
    command: "",
    entrypoint: "",
    user: "",
    workingDir: "",
    ulimits: "",
    aliases: "",
    releaseCommand: "",
    healthCheck: {
      type: "default",
      path: "/",
      expectStatus: "200-399",
      command: "",
      intervalS: 2,
      timeoutS: 2,
      retries: 3,
      startPeriodS: 0,
    },
    workerStableS: 5,
    limits: { cpus: null, memoryMb: 256, pidsLimit: null, shmMb: 128 },
    restartPolicy: "unless-stopped",
    replicas: 1,
    strategy: "auto",
    publish: null,
    volumes: [{ name: "data", mountPath: "/data", readOnly: false, hostPath: "" }],
    buildArgs: [],
    timeouts: { cloneTimeoutS: null, buildTimeoutS: 600, startTimeoutS: null, healthTimeoutS: null },
  },
};

describe("service settings form", () => {
  it("fills the form from the service and sends it back unchanged", () => {
    const form = formFromService(base);
    expect(form.containerPort).toBe("8080");
    expect(form.limits).toEqual({ cpus: "", memoryMb: "256", pidsLimit: "", shmMb: "128" });
    expect(form.volumes[0]).toMatchObject({ name: "data", saved: true });
    const { input, volumeRowIds } = inputOf(form, "sid", false);
    expect(input).toMatchObject({
      serviceId: "sid",
      deploy: false,
      name: "api",
      source: "image",
      image: "berth-test/hello:latest",
      kind: "web",
      containerPort: "8080",
      publish: null,
    });
    expect(input.limits).toEqual({ cpus: null, memoryMb: "256", pidsLimit: null, shmMb: "128" });
    expect(input.volumes).toEqual([{ name: "data", mountPath: "/data", readOnly: false, hostPath: undefined }]);
    expect(input.timeouts).toEqual({ cloneTimeoutS: null, buildTimeoutS: 600, startTimeoutS: null, healthTimeoutS: null });
    expect(volumeRowIds).toEqual([form.volumes[0]!.id]);
    expect("git" in input).toBe(false);
  });

  it("keeps the run-as user, working directory, ulimits and aliases through a round trip and shows their errors at their fields", () => {
    const form = formFromService({
      ...base,
      settings: { ...base.settings, user: "1000:1000", workingDir: "/app", ulimits: "nofile=65535", aliases: "primary_db" },
    });
    expect(inputOf(form, "s", false).input).toMatchObject({ aliases: "primary_db" });
    expect(isSettingsField("aliases")).toBe(true);
    expect([form.user, form.workingDir, form.ulimits]).toEqual(["1000:1000", "/app", "nofile=65535"]);
    expect(inputOf(form, "s", false).input).toMatchObject({ user: "1000:1000", workingDir: "/app", ulimits: "nofile=65535" });
    expect(isSettingsField("user") && isSettingsField("workingDir") && isSettingsField("ulimits")).toBe(true);
  });

  it("sends no port for a worker, and a published port only for a TCP service with publishing on", () => {
    const form = { ...formFromService(base), kind: "worker" as const, publish: { enabled: true, hostPort: "5432", bindAddress: "" } };
    expect(inputOf(form, "s", true).input).toMatchObject({ containerPort: null, publish: null, deploy: true });
    const tcp = { ...form, kind: "tcp" as const, containerPort: "5432" };
    expect(inputOf(tcp, "s", false).input.publish).toEqual({ hostPort: "5432", bindAddress: "127.0.0.1" });
  });

  it("keeps git build arguments through a round trip, quoting values a .env line would not keep", () => {
    const git: SettingsSource = {
      ...base,
      source: {
        type: "git",
        url: "https://example.com/a.git",
        branch: "dev",
        commit: null,
        dockerfilePath: "Dockerfile",
        contextPath: ".",
        hasToken: true,
        deployKeyPublic: null,
      },
      settings: {
        ...base.settings,
        buildArgs: [
          { key: "A", value: "plain" },
          { key: "B", value: "two words # not a comment" },
          { key: "C", value: 'say "hi"' },
          { key: "D", value: "C:\\dir\\new\tline\r\nnext" },
        ],
      },
    };
    const form = formFromService(git);
    expect(form.git.auth).toBe("token");
    const { input } = inputOf(form, "s", false);
    const sent = "git" in input ? input.git : undefined;
    expect(sent).toMatchObject({ url: "https://example.com/a.git", branch: "dev", auth: "token", token: "", commit: undefined });
    expect(sent?.buildArgs).toEqual(git.settings.buildArgs);
  });

  it("answers build args that are not valid .env text at their field, with the line, and builds no input", () => {
    const form = formFromService({
      ...base,
      source: {
        type: "git",
        url: "https://example.com/a.git",
        branch: "main",
        commit: null,
        dockerfilePath: "Dockerfile",
        contextPath: ".",
        hasToken: false,
        deployKeyPublic: null,
      },
    });
    expect(updateInputOf({ ...form, git: { ...form.git, buildArgs: "OK=1\nNODE/ENV=production" } }, "s", false)).toEqual({
      fieldErrors: {
        "git.buildArgs": 'Line 2: "NODE/ENV" is not a valid variable name (use letters, digits, _, . and -, starting with a letter or _)',
      },
    });
  });

  it("drops blank volume rows and places volume errors on the row sent at that index", () => {
    const form = formFromService(base);
    const blank = newVolumeRow();
    const added = newVolumeRow({ name: "cache", mountPath: "/cache" });
    form.volumes = [form.volumes[0]!, blank, added];
    const { input, volumeRowIds } = inputOf(form, "s", false);
    expect(input.volumes.map((v) => v.name)).toEqual(["data", "cache"]);
    const byRow = volumeErrorsByRow(
      { "volumes.1.mountPath": "Two volumes are mounted at /cache", "volumes.0": "bad", name: "x" },
      volumeRowIds,
    );
    expect(byRow.get(added.id)).toEqual({ mountPath: "Two volumes are mounted at /cache" });
    expect(byRow.get(form.volumes[0]!.id)).toEqual({ name: "bad" });
  });

  it("names saved volumes the form removed (detached, data kept)", () => {
    const form = formFromService(base);
    expect(detachedVolumeNames(form, base.settings.volumes)).toEqual([]);
    form.volumes = [];
    expect(detachedVolumeNames(form, base.settings.volumes)).toEqual(["data"]);
  });

  it("resolves the automatic strategy like the server", () => {
    const form = formFromService(base);
    expect(effectiveStrategy(form)).toBe("stop_first");
    expect(effectiveStrategy({ ...form, volumes: [] })).toBe("start_first");
    expect(effectiveStrategy({ ...form, volumes: [], kind: "tcp", publish: { enabled: true, hostPort: "1", bindAddress: "" } })).toBe(
      "stop_first",
    );
    expect(effectiveStrategy({ ...form, strategy: "start_first" })).toBe("start_first");
  });

  it("knows which errors it shows at a field, public bind addresses and unsaved edits", () => {
    for (const k of [
      "containerPort",
      "healthCheck.path",
      "limits.memoryMb",
      "publish.hostPort",
      "volumes.2.mountPath",
      "git.url",
      "git.buildArgs.0.key",
      "timeouts.buildTimeoutS",
    ])
      expect(isSettingsField(k)).toBe(true);
    expect(isSettingsField("serviceId")).toBe(false);
    expect(isPublicBind("0.0.0.0")).toBe(true);
    expect(isPublicBind("::")).toBe(true);
    expect(isPublicBind("127.0.0.1")).toBe(false);
    const form = formFromService(base);
    expect(isDirty({ ...form, volumes: form.volumes.map((v) => ({ ...v, id: 999 })) }, form)).toBe(false);
    expect(isDirty({ ...form, containerPort: "9090" }, form)).toBe(true);
  });
});
