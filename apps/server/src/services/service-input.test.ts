import { describe, expect, it } from "vitest";
import { createServiceInput, envFromJson, envToRecord, updateServiceInput } from "./service-input.ts";

const valid = { projectId: "7f0c2a1e-8a36-4f4e-9d52-2c6f1d1f3a10", name: "web", image: "nginx:1.27", containerPort: 8080, env: [] };

function fieldErrors(input: unknown): Record<string, string> {
  const result = createServiceInput.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("createServiceInput", () => {
  it("accepts a valid service", () => {
    expect(createServiceInput.parse({ ...valid, env: [{ key: "GREETING", value: "hi $(rm -rf /)" }] })).toMatchObject({
      name: "web",
      env: [{ key: "GREETING", value: "hi $(rm -rf /)" }],
    });
  });

  it.each([
    [{ name: "Web App" }, "name", /lowercase/],
    [{ name: "-web" }, "name", /start and end/],
    [{ image: "Not A Valid:::Image" }, "image", /Not a valid image reference/],
    [{ image: "nginx; rm -rf /" }, "image", /Not a valid image reference/],
    [{ image: "--privileged" }, "image", /Not a valid image reference/],
    [{ containerPort: 70000 }, "containerPort", /between 1 and 65535/],
    [{ containerPort: 0 }, "containerPort", /between 1 and 65535/],
    [{ containerPort: "" }, "containerPort", /^Port is required$/],
    [{ containerPort: undefined }, "containerPort", /^Port is required$/],
    [{ containerPort: 80.5 }, "containerPort", /whole number/],
    [{ env: [{ key: "1BAD", value: "x" }] }, "env.0.key", /starting with a letter or _/],
    [{ env: [{ key: "A/B", value: "x" }] }, "env.0.key", /letters, digits, _, \. and -/],
    [{ env: [{ key: "OK", value: "a\u0000b" }] }, "env.0.value", /NUL/],
    [
      {
        env: [
          { key: "A", value: "1" },
          { key: "A", value: "2" },
        ],
      },
      "env.1.key",
      /set twice/,
    ],
  ])("refuses %o at %s", (override, field, message) => {
    const errors = fieldErrors({ ...valid, ...override });
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
  });
});

describe("env round trip", () => {
  it("keeps keys and values exactly", () => {
    const env = [
      { key: "A", value: "x=y" },
      { key: "B", value: "line1\nline2 'quoted' \"double\"" },
    ];
    expect(envFromJson(envToRecord(env))).toEqual(env);
    expect(envFromJson(null)).toEqual([]);
    expect(envFromJson(["not", "a", "record"])).toEqual([]);
  });
});

describe("createServiceInput with a git source", () => {
  const git = { ...valid, image: undefined, source: "git" };
  it("fills defaults for branch, Dockerfile and context", () => {
    expect(createServiceInput.parse({ ...git, git: { url: "https://example.com/a.git" } })).toMatchObject({
      source: "git",
      git: {
        url: "https://example.com/a.git",
        branch: "main",
        commit: null,
        dockerfilePath: "Dockerfile",
        contextPath: ".",
        auth: "none",
        buildArgs: [],
      },
    });
  });
  it("reports bad fields at their path", () => {
    expect(fieldErrors({ ...git })).toEqual({ "git.url": "Enter a repository URL" });
    expect(
      fieldErrors({ ...git, git: { url: "https://e.com/a.git", branch: "-x", commit: "zz", dockerfilePath: "../Dockerfile" } }),
    ).toEqual({
      "git.branch": "Not a valid branch name",
      "git.commit": "A commit is 7 to 40 hexadecimal characters",
      "git.dockerfilePath": "The Dockerfile path must be a relative path inside the repository (no .. or leading /)",
    });
    expect(fieldErrors({ ...git, git: { url: "https://e.com/a.git", auth: "token" } })).toEqual({ "git.token": "Enter the access token" });
  });
  it("takes optional per-stage timeouts in whole seconds", () => {
    expect(createServiceInput.parse({ ...valid, timeouts: { buildTimeoutS: 60, healthTimeoutS: null } }).timeouts).toEqual({
      buildTimeoutS: 60,
      healthTimeoutS: null,
    });
    expect(fieldErrors({ ...valid, timeouts: { cloneTimeoutS: 0, buildTimeoutS: 1.5 } })).toEqual({
      "timeouts.cloneTimeoutS": "At least 1 s",
      "timeouts.buildTimeoutS": "Whole seconds",
    });
  });

  it("still requires an image for image services", () => {
    expect(fieldErrors({ ...valid, image: "" })).toEqual({ image: "Image is required" });
  });
});

describe("updateServiceInput labels", () => {
  const edit = { serviceId: "7f0c2a1e-8a36-4f4e-9d52-2c6f1d1f3a10", name: "web", image: "nginx:1.27", containerPort: 8080 };

  it("leaves labels out when the edit does not name them (the stored ones are kept), and checks them when it does", () => {
    expect(updateServiceInput.parse(edit).labels).toBeUndefined();
    expect(updateServiceInput.parse({ ...edit, labels: { "com.example.team": "web" } }).labels).toEqual({ "com.example.team": "web" });
    const refused = updateServiceInput.safeParse({ ...edit, labels: { "io.berth.service": "x" } });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join("."))).toEqual(["labels.io.berth.service"]);
  });
});
