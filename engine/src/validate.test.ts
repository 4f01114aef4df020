import { describe, expect, it } from "vitest";
import { EngineError } from "./errors.ts";
import type { ReleaseSpec } from "./port-types.ts";
import { assertValidReleaseSpec, isValidContainerRef, isValidEnvName, isValidEnvValue, isValidImageRef, isValidPort } from "./validate.ts";

const digest = `sha256:${"a1".repeat(32)}`;

describe("isValidImageRef", () => {
  it.each([
    "nginx",
    "nginx:1.27",
    "nginx:1.27-alpine",
    "library/nginx:latest",
    "berth-test/engine-hello:latest",
    "my_org/my.app__x-y:v1.0_RC",
    "ghcr.io/acme/web:sha-abc123",
    "registry.example.com:5000/team/app:2",
    "localhost:5000/app",
    "localhost/app:1",
    "myregistry:5000/app",
    `nginx@${digest}`,
    `nginx:1.27@${digest}`,
    `ghcr.io/acme/web@${digest}`,
    "a",
    `app:${"T".repeat(128)}`,
  ])("accepts %s", (ref) => {
    expect(isValidImageRef(ref)).toBe(true);
  });

  it.each([
    "",
    " nginx",
    "nginx ",
    "ngi nx",
    "nginx\n",
    "nginx\tlatest",
    "-nginx",
    "--privileged",
    "nginx;rm -rf /",
    "nginx && reboot",
    "nginx|sh",
    "$(id)",
    "nginx:$(id)",
    "`id`",
    "nginx:`id`",
    "nginx>out",
    "Nginx",
    "acme/Web:1",
    "UPPER/app",
    "nginx:",
    "nginx:-tag",
    ":tag",
    "nginx//app",
    "nginx/",
    "/nginx",
    "nginx..app",
    "nginx-",
    "nginx@sha256:abc",
    `nginx@sha512:${"a".repeat(128)}`,
    `nginx@sha256:${"A".repeat(64)}`,
    "ngïnx",
    "nginx:1.0\u0000",
    "nginx:🚢",
    `app:${"t".repeat(129)}`,
    `${"a".repeat(256)}:1`,
    "http://registry/app",
    "registry:port/app",
  ])("rejects %j", (ref) => {
    expect(isValidImageRef(ref)).toBe(false);
  });
});

describe("isValidPort", () => {
  it("accepts 1..65535 integers only", () => {
    for (const ok of [1, 80, 8080, 65535]) expect(isValidPort(ok)).toBe(true);
    for (const bad of [0, -1, 65536, 80.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(isValidPort(bad)).toBe(false);
  });
});

describe("env validators", () => {
  // Dotted names as images read them: Elasticsearch, OpenSearch, Spring.
  it.each(["PORT", "_X", "a", "DATABASE_URL", "x1_Y2", "discovery.type", "xpack.security.enabled", "plugins.security.disabled", "A-B"])(
    "accepts name %s",
    (name) => {
      expect(isValidEnvName(name)).toBe(true);
    },
  );
  it.each(["", "1X", "A B", "A=B", "A;B", "$(id)", "`id`", "A\nB", "ÄPFEL", "-A", ".A", "A/B", "A:B", "A$B"])("rejects name %j", (name) => {
    expect(isValidEnvName(name)).toBe(false);
  });
  it("accepts any value without NUL and rejects NUL", () => {
    for (const v of ["", "$(rm -rf /)", "`x`", "a\nb", "'\"", "日本 🚢", ";|&<>"]) expect(isValidEnvValue(v)).toBe(true);
    expect(isValidEnvValue("a\u0000b")).toBe(false);
  });
});

describe("isValidContainerRef", () => {
  it("accepts ids and names, rejects path-like or hostile refs", () => {
    expect(isValidContainerRef("3f4e5d6c7b8a")).toBe(true);
    expect(isValidContainerRef("berth-web-abc-def")).toBe(true);
    for (const bad of ["", "../images/x", "a/b", "a?b=1", "-x", "a b", "a;b", "$(id)"]) expect(isValidContainerRef(bad)).toBe(false);
  });
});

describe("assertValidReleaseSpec", () => {
  const spec: ReleaseSpec = {
    owner: { teamId: "t1", projectId: "p1", serviceId: "s1" },
    deploymentId: "d1",
    serviceName: "web",
    image: "nginx:1.27",
    containerPort: 80,
    env: { A: "$(rm -rf /)" },
  };

  function codeOf(bad: ReleaseSpec): string {
    try {
      assertValidReleaseSpec(bad);
      return "none";
    } catch (err) {
      expect(err).toBeInstanceOf(EngineError);
      return (err as EngineError).code;
    }
  }

  it("accepts a good spec (hostile-looking values are just data)", () => {
    expect(codeOf(spec)).toBe("none");
    expect(codeOf({ ...spec, command: ["sh", "-c", "echo `id`; exit 3"] })).toBe("none");
  });

  it.each<[string, Partial<ReleaseSpec>]>([
    ["bad image", { image: "nginx; rm -rf /" }],
    ["uppercase image", { image: "Nginx" }],
    ["port 0", { containerPort: 0 }],
    ["port 70000", { containerPort: 70000 }],
    ["env name", { env: { "A B": "x" } }],
    ["env NUL", { env: { A: "x\u0000" } }],
    ["service name", { serviceName: "-web" }],
    ["deployment id", { deploymentId: "d/1" }],
    ["team id", { owner: { teamId: "t 1", projectId: "p1", serviceId: "s1" } }],
    ["empty command", { command: [] }],
    ["NUL in command", { command: ["sh", "\u0000"] }],
  ])("rejects %s with INVALID", (_what, patch) => {
    expect(codeOf({ ...spec, ...patch })).toBe("INVALID");
  });
});
