/**
 * Real-world compose files (corpus/, each naming the example it is modelled on): every one is
 * either imported with the expected services, in dependency order, or refused with errors that
 * name the unsupported key and its service.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importCompose, type ImportOptions } from "./import-compose.ts";

const corpus = (file: string) => readFileSync(new URL(`./corpus/${file}`, import.meta.url), "utf8");

const imported: [file: string, services: string[], options?: ImportOptions][] = [
  ["gitea-postgres.yaml", ["gitea", "db"], { variables: { DB_PASSWORD: "pw" } }],
  ["nextcloud-redis-mariadb.yaml", ["nc", "redis", "db"]],
  ["postgresql-pgadmin.yaml", ["postgres", "pgadmin"], { variables: { POSTGRES_USER: "u", POSTGRES_PW: "p", POSTGRES_DB: "d", PGADMIN_MAIL: "a@example.com", PGADMIN_PW: "p" } }],
  ["wordpress-mysql.yaml", ["db", "wordpress", "phpmyadmin"]],
];

const refused: [file: string, keys: string[], options?: ImportOptions][] = [
  ["nginx-golang-postgres.yaml", ["backend:build", "backend:secrets", "db:user", "db:secrets", "proxy:volumes.0", ":secrets"]],
  ["prometheus-grafana.yaml", ["prometheus:volumes.0", "grafana:volumes.0"]],
  ["portainer.yaml", ["portainer:volumes.0"], { allowBindMounts: true }],
  ["minecraft.yaml", ["minecraft:volumes.0"], { allowBindMounts: true }],
  ["elasticsearch-logstash-kibana.yaml", ["logstash:ports"]],
  ["pihole-cloudflared.yaml", ["cloudflared:ports", "cloudflared:networks", "pihole:ports", "pihole:cap_add", "pihole:volumes.0"]],
  ["immich.yaml", ["immich-server:env_file", "immich-server:volumes.0", "database:shm_size", "database:volumes.0"]],
  ["uptime-kuma.yaml", ["uptime-kuma:volumes.0"]],
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

  it("explains why: the Docker socket, the bind mount setting, a relative path", () => {
    const message = (file: string, options?: ImportOptions) => {
      const r = importCompose(corpus(file), options);
      return r.ok ? "" : r.errors.map((e) => e.message).join("\n");
    };
    expect(message("portainer.yaml", { allowBindMounts: true })).toMatch(/Docker socket/);
    expect(message("prometheus-grafana.yaml")).toMatch(/off on this instance/);
    expect(message("minecraft.yaml", { allowBindMounts: true })).toMatch(/must be an absolute host path/);
  });

  it("keeps what it imports visible: the ignored keys and the shared network are warnings", () => {
    const r = importCompose(corpus("nextcloud-redis-mariadb.yaml"));
    expect(r.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ service: "nc", key: "networks" })]));
    const pg = importCompose(corpus("postgresql-pgadmin.yaml"), { variables: {} });
    expect(pg.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ service: "postgres", key: "container_name" }), expect.objectContaining({ key: "(variables)", message: "POSTGRES_PW is not set: an empty string is used" })]));
  });
});
