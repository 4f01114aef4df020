/**
 * Real-world compose files (corpus/, each naming the example it is modelled on): every one is
 * either imported with the expected services, in dependency order, or refused with errors that
 * name the unsupported key and its service.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importCompose, type ImportOptions } from "./import-compose.ts";
import { memoryRepo } from "../../test/compose-results.ts";

/** A git-sourced stack's checkout, in memory: the files its compose file reads. */
const repoOf = (files: Record<string, string>) => memoryRepo(".", files);

/** What Immich's example .env sets. */
const IMMICH_ENV = {
  UPLOAD_LOCATION: "./library",
  DB_DATA_LOCATION: "./postgres",
  DB_PASSWORD: "postgres",
  DB_USERNAME: "postgres",
  DB_DATABASE_NAME: "immich",
};

/** The example voting app's repository, in part: the directories its compose file mounts. */
const VOTING_APP_FILES = {
  "vote/app.py": "",
  "vote/Dockerfile": "FROM python:3.11-slim\n",
  "result/server.js": "",
  "result/Dockerfile": "FROM node:18-slim\n",
  "worker/Dockerfile": "FROM mcr.microsoft.com/dotnet/sdk:7.0\n",
  "healthchecks/redis.sh": "",
  "healthchecks/postgres.sh": "",
};

const corpus = (file: string) => readFileSync(new URL(`./corpus/${file}`, import.meta.url), "utf8");

const imported: [file: string, services: string[], options?: ImportOptions][] = [
  ["gitea-postgres.yaml", ["gitea", "db"], { variables: { DB_PASSWORD: "pw" } }],
  ["nextcloud-redis-mariadb.yaml", ["nc", "redis", "db"]],
  [
    "postgresql-pgadmin.yaml",
    ["postgres", "pgadmin"],
    { variables: { POSTGRES_USER: "u", POSTGRES_PW: "p", POSTGRES_DB: "d", PGADMIN_MAIL: "a@example.com", PGADMIN_PW: "p" } },
  ],
  ["wordpress-mysql.yaml", ["db", "wordpress", "phpmyadmin"]],
  // Directories beside the file become volumes (map-relative-mount.ts), the host's clock is not needed.
  ["uptime-kuma.yaml", ["uptime-kuma"]],
  ["prometheus-grafana.yaml", ["prometheus", "grafana"]],
  ["immich.yaml", ["redis", "database", "immich-server"], { variables: IMMICH_ENV }],
  [
    "django-on-docker.yaml",
    ["db", "web"],
    {
      repo: repoOf({
        ".env.prod": "DEBUG=0\nSECRET_KEY=change_me\nSQL_HOST=db\n",
        ".env.prod.db": "POSTGRES_USER=hello_django\nPOSTGRES_PASSWORD=hello_django\n",
      }),
    },
  ],
];

const refused: [file: string, keys: string[], options?: ImportOptions][] = [
  ["nginx-golang-postgres.yaml", ["backend:build", "backend:secrets", "db:secrets", "proxy:volumes.0", ":secrets"]],
  ["portainer.yaml", ["portainer:volumes.0"], { allowBindMounts: true }],
  ["minecraft.yaml", ["minecraft:volumes.0"], { allowBindMounts: true }],
  ["elasticsearch-logstash-kibana.yaml", ["logstash:ports"]],
  ["pihole-cloudflared.yaml", ["cloudflared:ports", "cloudflared:networks", "pihole:ports", "pihole:cap_add", "pihole:volumes.0"]],
  // Without its .env's variables: the directories have no path.
  ["immich.yaml", ["immich-server:volumes.0", "database:volumes.0"]],
  // The repository's own directories (sources, health check scripts) mounted into containers.
  [
    "example-voting-app.yaml",
    ["vote:build.target", "vote:volumes.0", "result:volumes.0", "redis:volumes.0", "db:volumes.1"],
    { repo: repoOf(VOTING_APP_FILES) },
  ],
  // The same file pasted: every build says it needs a git-sourced stack (its env files are the stack's variables).
  ["django-on-docker.yaml", ["web:build"]],
];

describe("the compose corpus", () => {
  it.each(imported)("imports %s", (file, services, options) => {
    const r = importCompose(corpus(file), options);
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
    expect(r.services.map((s) => s.fields.name)).toEqual(services);
  });

  it.each(refused)("refuses %s, naming each unsupported key with its service", (file, keys, options) => {
    const r = importCompose(corpus(file), options);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.errors.map((e) => `${e.service ?? ""}:${e.key}`)).toEqual(expect.arrayContaining(keys));
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(10);
  });

  it("takes the dotted variable names images read (Elasticsearch's discovery.type): only the UDP port is refused", () => {
    const r = importCompose(corpus("elasticsearch-logstash-kibana.yaml"));
    expect(r.ok ? [] : r.errors.map((e) => `${e.service ?? ""}:${e.key}`)).toEqual(["logstash:ports"]);
  });

  it("explains why: the Docker socket, the bind mount setting, a relative path", () => {
    const message = (file: string, options?: ImportOptions) => {
      const r = importCompose(corpus(file), options);
      return r.ok ? "" : r.errors.map((e) => e.message).join("\n");
    };
    expect(message("portainer.yaml", { allowBindMounts: true })).toMatch(/Docker socket/);
    expect(message("minecraft.yaml")).toMatch(/off on this instance/);
    expect(message("minecraft.yaml", { allowBindMounts: true })).toMatch(/must be an absolute host path/);
    expect(message("example-voting-app.yaml", { repo: repoOf(VOTING_APP_FILES) })).toMatch(
      /\.\/healthchecks is a directory of the repository, whose files a volume would not have/,
    );
  });

  it("keeps the data of a directory beside the file in a volume, and says so", () => {
    const r = importCompose(corpus("immich.yaml"), { variables: IMMICH_ENV });
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
    const volumes = Object.fromEntries(r.services.map((s) => [s.fields.name, s.fields.volumes]));
    expect(volumes).toEqual({
      "immich-server": [{ name: "library", mountPath: "/data", readOnly: false }],
      database: [{ name: "postgres", mountPath: "/var/lib/postgresql/data", readOnly: false }],
      redis: [],
    });
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        { service: "immich-server", key: "volumes.0", message: expect.stringMatching(/^\.\/library becomes the volume library/) },
        { service: "immich-server", key: "volumes.1", message: expect.stringMatching(/host's \/etc\/localtime is not mounted/) },
        {
          service: "immich-server",
          key: "env_file",
          message: expect.stringMatching(/the stack's variables stand for it \(UPLOAD_LOCATION/),
        },
      ]),
    );
    // env_file: .env hands the service the stack's variables, as a secret each (the file held credentials).
    const server = r.services.find((s) => s.fields.name === "immich-server")!;
    expect(server.fields.env).toEqual(expect.arrayContaining([{ key: "DB_PASSWORD", value: "postgres" }]));
    expect(server.secretEnv).toEqual(expect.arrayContaining(Object.keys(IMMICH_ENV)));
  });

  it("maps a git-sourced file's build, env_file and labels", () => {
    const r = importCompose(corpus("django-on-docker.yaml"), {
      repo: repoOf({ ".env.prod": "SECRET_KEY=k\n", ".env.prod.db": "POSTGRES_PASSWORD=p\n" }),
    });
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
    const web = r.services.find((s) => s.fields.name === "web")!;
    expect(web.fields).toMatchObject({
      source: "git",
      git: { contextPath: "app", dockerfilePath: "app/Dockerfile.prod" },
      kind: "web",
      containerPort: 8000,
      env: [{ key: "SECRET_KEY", value: "k" }],
      labels: { "traefik.http.routers.django.rule": "Host(`django.localhost`)" },
    });
    expect(web.secretEnv).toEqual(["SECRET_KEY"]);
  });

  it("keeps what it imports visible: the ignored keys and the shared network are warnings", () => {
    const r = importCompose(corpus("nextcloud-redis-mariadb.yaml"));
    expect(r.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ service: "nc", key: "networks" })]));
    const pg = importCompose(corpus("postgresql-pgadmin.yaml"), { variables: {} });
    expect(pg.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: "postgres", key: "container_name" }),
        expect.objectContaining({ key: "(variables)", message: "POSTGRES_PW is not set: an empty string is used" }),
      ]),
    );
  });
});
