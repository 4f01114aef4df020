import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkoutRepo, repoPath } from "./compose-repo.ts";
import { importCompose } from "./import-compose.ts";
import { errorsOf, memoryRepo as repo, planOf } from "../../test/compose-results.ts";

describe("build: and env_file in a git-sourced stack", () => {
  it("maps build onto the git build path relative to the compose file, with args; reads env_files (later ones win, environment over them) and the .env defaults", () => {
    const files = {
      "deploy/.env": "TAG=from-dotenv\nGREETING=hello\n",
      "deploy/api.env": "# api\nDB_HOST=db\nSECRET_KEY='s3cret value'\nLEVEL=info\n",
      "deploy/override.env": "LEVEL=debug\n",
    };
    const plan = planOf(
      importCompose(
        `
services:
  api:
    image: example/api:\${TAG}
    build:
      context: ../services/api
      dockerfile: docker/Dockerfile.prod
      args:
        GREETING: \${GREETING}
        FROM_VAR:
        UNSET_ARG:
      cache_from: [example/api:cache]
    env_file: [api.env, { path: override.env, required: true }, { path: missing.env, required: false }]
    environment:
      SECRET_KEY: overridden
  web:
    build: .
    ports: ["8080"]
`,
        { variables: { FROM_VAR: "v" }, repo: repo("deploy", files) },
      ),
    );
    const api = plan.services.find((s) => s.fields.name === "api")!;
    expect(api.fields).toMatchObject({
      source: "git",
      image: "",
      git: {
        contextPath: "services/api",
        dockerfilePath: "services/api/docker/Dockerfile.prod",
        buildArgs: [
          { key: "GREETING", value: "hello" },
          { key: "FROM_VAR", value: "v" },
        ],
      },
    });
    expect(api.fields.env).toEqual([
      { key: "DB_HOST", value: "db" },
      { key: "SECRET_KEY", value: "overridden" },
      { key: "LEVEL", value: "debug" },
    ]);
    // env_file values are secrets; a literal from environment: is not.
    expect(api.secretEnv.sort()).toEqual(["DB_HOST", "LEVEL"]);
    expect(plan.services.find((s) => s.fields.name === "web")!.fields.git).toEqual({
      contextPath: "deploy",
      dockerfilePath: "deploy/Dockerfile",
      buildArgs: [],
    });
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: "api", key: "image", message: expect.stringMatching(/^Ignored: the service is built/) }),
        expect.objectContaining({ service: "api", key: "build.cache_from" }),
        expect.objectContaining({ service: "api", key: "build.args.UNSET_ARG" }),
        expect.objectContaining({
          service: "api",
          key: "env_file",
          message: expect.stringMatching(/missing\.env does not exist.*optional/),
        }),
      ]),
    );
  });

  it("refuses paths that leave the repository, a Dockerfile outside its context, remote contexts, unsupported build keys and broken env files, each at its key", () => {
    const files = { "bad.env": "OK=1\nnot a line\n" };
    const errors = errorsOf(
      importCompose(
        `
services:
  a: { build: { context: ../.., dockerfile: Dockerfile } }
  b: { build: { context: ./app, dockerfile: ../Dockerfile } }
  c: { build: "https://github.com/example/app.git#main" }
  d: { build: { context: ., target: prod, dockerfile_inline: "FROM x" } }
  e: { image: nginx, env_file: /etc/passwd }
  f: { image: nginx, env_file: [bad.env, gone.env, link.env] }
`,
        { repo: repo(".", files, ["link.env"]) },
      ),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: "a", key: "build.context", message: expect.stringMatching(/inside the repository/) }),
        expect.objectContaining({ service: "b", key: "build.dockerfile", message: expect.stringMatching(/inside the build context app/) }),
        expect.objectContaining({ service: "c", key: "build.context", message: expect.stringMatching(/remote build context/) }),
        expect.objectContaining({ service: "d", key: "build.target" }),
        expect.objectContaining({ service: "d", key: "build.dockerfile_inline" }),
        expect.objectContaining({ service: "e", key: "env_file", message: expect.stringMatching(/\/etc\/passwd must be a relative path/) }),
        expect.objectContaining({ service: "f", key: "env_file", message: expect.stringMatching(/^bad\.env: Line 2/) }),
        expect.objectContaining({
          service: "f",
          key: "env_file",
          message: expect.stringMatching(/link\.env resolves outside the repository/),
        }),
      ]),
    );
  });

  it("says a pasted stack cannot build; its env files are the stack's variables", () => {
    const r = importCompose("services:\n  app: { build: ., env_file: [app.env, { path: extra.env, required: false }] }\n", {
      variables: { A: "1" },
    });
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({ service: "app", key: "build", message: expect.stringMatching(/^build: needs a git-sourced stack/) }),
    ]);
    expect(r.warnings).toEqual([
      { service: "app", key: "env_file", message: "A pasted stack has no file app.env: the stack's variables stand for it (A)" },
      { service: "app", key: "env_file", message: "A pasted stack has no file extra.env (optional, skipped)" },
    ]);
  });

  it("takes the stack's variables for an env file the stack does not have (pasted, or not committed), and the file where it is", () => {
    const file = "services:\n  app: { image: nginx, env_file: ./.env.production, environment: { MODE: web } }\n";
    const variables = { TOKEN: "t0k", MODE: "ignored" };
    const pasted = planOf(importCompose(file, { variables }));
    const uncommitted = planOf(importCompose(file, { variables, repo: repo(".", { "README.md": "" }) }));
    for (const plan of [pasted, uncommitted]) {
      expect(plan.services[0]!.fields.env).toEqual([
        { key: "TOKEN", value: "t0k" },
        { key: "MODE", value: "web" },
      ]);
      expect(plan.services[0]!.secretEnv).toEqual(["TOKEN"]);
      expect(plan.warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ service: "app", key: "env_file", message: expect.stringMatching(/TOKEN, MODE/) }),
        ]),
      );
    }
    // Committed: the file's values (the stack's variables only fill its ${...}).
    const committed = planOf(importCompose(file, { variables, repo: repo(".", { ".env.production": "TOKEN=from-file\n" }) }));
    expect(committed.services[0]!.fields.env).toEqual([
      { key: "TOKEN", value: "from-file" },
      { key: "MODE", value: "web" },
    ]);
  });

  it("resolves repository paths from the compose file's directory, never above the root", () => {
    expect(repoPath("deploy", "../app")).toBe("app");
    expect(repoPath(".", "./")).toBe(".");
    expect(repoPath("deploy", "../../etc")).toBeNull();
    expect(repoPath(".", "/etc")).toBeNull();
  });

  it("tells a checkout's file from its directory and from nothing, and refuses a link that leaves it", () => {
    const root = mkdtempSync(path.join(tmpdir(), "berth-checkout-"));
    try {
      mkdirSync(path.join(root, "deploy/scripts"), { recursive: true });
      writeFileSync(path.join(root, "deploy/nginx.conf"), "events {}\n");
      symlinkSync("/etc", path.join(root, "deploy/etc"));
      const checkout = checkoutRepo(root, "deploy/compose.yaml");
      expect([checkout.kind("deploy/nginx.conf"), checkout.kind("deploy/scripts"), checkout.kind("deploy/data")]).toEqual([
        "file",
        "directory",
        null,
      ]);
      expect(() => checkout.kind("deploy/etc")).toThrow(/resolves outside the repository/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
