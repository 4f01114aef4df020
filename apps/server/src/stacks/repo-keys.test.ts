import { describe, expect, it } from "vitest";
import { type ComposeRepo, repoPath, RepoFileError } from "./compose-repo.ts";
import { importCompose, type ImportResult } from "./import-compose.ts";

/** A repository in memory; `outside` paths behave like a symbolic link leaving the checkout. */
function repo(dir: string, files: Record<string, string>, outside: string[] = []): ComposeRepo {
  return {
    dir,
    read(path) {
      if (outside.includes(path)) throw new RepoFileError(`${path} resolves outside the repository (through a symbolic link): refused`);
      return files[path] ?? null;
    },
  };
}

function planOf(r: ImportResult) {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
  return r;
}
function errorsOf(r: ImportResult) {
  if (r.ok) throw new Error("expected the file to be refused");
  return r.errors;
}

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
        expect.objectContaining({ service: "f", key: "env_file", message: "gone.env does not exist in the repository" }),
        expect.objectContaining({
          service: "f",
          key: "env_file",
          message: expect.stringMatching(/link\.env resolves outside the repository/),
        }),
      ]),
    );
  });

  it("says a pasted stack cannot build or read env files", () => {
    const errors = errorsOf(importCompose("services:\n  app: { build: ., env_file: .env }\n"));
    expect(errors).toEqual([
      expect.objectContaining({ service: "app", key: "build", message: expect.stringMatching(/^build: needs a git-sourced stack/) }),
      expect.objectContaining({ service: "app", key: "env_file", message: expect.stringMatching(/^env_file needs a git-sourced stack/) }),
    ]);
  });

  it("resolves repository paths from the compose file's directory, never above the root", () => {
    expect(repoPath("deploy", "../app")).toBe("app");
    expect(repoPath(".", "./")).toBe(".");
    expect(repoPath("deploy", "../../etc")).toBeNull();
    expect(repoPath(".", "/etc")).toBeNull();
  });
});
