import { describe, expect, it } from "vitest";
import { importCompose } from "./import-compose.ts";
import { errorsOf, planOf } from "../../test/compose-results.ts";

/** The compose keys real files use for how a service runs and is named, and what Berth makes of them. */
describe("importing a real file's process, port, name and volume keys", () => {
  it("makes a service whose first port is a database's (published for a developer's convenience) a TCP service, not a site", () => {
    const plan = planOf(
      importCompose(
        "services:\n  app: { image: nginx, ports: ['3000:3000'] }\n  postgres: { image: postgres, ports: ['5432:5432'] }\n" +
          "  cache: { image: redis, ports: ['6379'] }\n  odd: { image: nginx, x-berth-kind: web, ports: ['5432'] }\n",
      ),
    );
    expect(plan.services.map((s) => [s.fields.name, s.fields.kind, s.fields.containerPort, s.fields.publish])).toEqual([
      ["app", "web", 3000, null],
      ["postgres", "tcp", 5432, null],
      ["cache", "tcp", 6379, null],
      ["odd", "web", 5432, null],
    ]);
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        {
          service: "postgres",
          key: "ports",
          message:
            "PostgreSQL's port 5432 is not HTTP: a TCP service the stack's services reach by its name; host port 5432 is not published (set x-berth-kind: tcp to publish it)",
        },
        { service: "cache", key: "ports", message: "Redis's port 6379 is not HTTP: a TCP service the stack's services reach by its name" },
      ]),
    );
  });

  it("runs a service as compose's user in its working_dir with its shm_size and ulimits, and refuses a user or directory that is not one at its key", () => {
    const plan = planOf(
      importCompose(
        "services:\n  a: { image: nginx, user: '1000:1000', working_dir: /app }\n  b: { image: nginx, user: '999' }\n  c: { image: nginx }\n",
      ),
    );
    expect(plan.services.map((s) => s.fields.user)).toEqual(["1000:1000", "999", ""]);
    expect(plan.services.map((s) => s.fields.workingDir)).toEqual(["/app", "", ""]);
    expect(planOf(importCompose("services:\n  db: { image: postgres, shm_size: 256mb }\n")).services[0]!.fields.limits.shmMb).toBe(256);
    const es = "services:\n  es: { image: elasticsearch, ulimits: { memlock: { soft: -1, hard: -1 }, nofile: 65536 } }\n";
    expect(planOf(importCompose(es)).services[0]!.fields.ulimits).toBe("memlock=-1:-1 nofile=65536");
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, ulimits: { rtprio: 99 } }\n"))).toEqual([
      { service: "a", key: "ulimits", message: expect.stringMatching(/^rtprio is not a limit a service may set/) },
    ]);
    expect(errorsOf(importCompose("services:\n  db: { image: postgres, shm_size: lots }\n"))).toEqual([
      { service: "db", key: "shm_size", message: '"lots" is not a size (e.g. 512m, 1g)' },
    ]);
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, working_dir: app }\n"))).toEqual([
      { service: "a", key: "working_dir", message: "An absolute path inside the container (e.g. /app)" },
    ]);
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, user: '--privileged' }\n"))).toEqual([
      { service: "a", key: "user", message: "A user name or id, optionally :group (e.g. 1000:1000 or postgres)" },
    ]);
  });

  it("keeps a container_name as a name the stack's services reach it by, unless it is another service's (Supabase's realtime)", () => {
    const plan = planOf(
      importCompose(
        "services:\n  realtime: { image: nginx, container_name: realtime-dev.supabase-realtime }\n" +
          "  db: { image: postgres, container_name: Supabase_DB }\n  web: { image: nginx, container_name: web }\n" +
          "  api: { image: nginx, container_name: db }\n",
      ),
    );
    expect(plan.services.map((s) => [s.fields.name, s.fields.aliases])).toEqual([
      ["realtime", "realtime-dev.supabase-realtime"],
      ["db", "supabase_db"],
      ["web", ""],
      ["api", ""],
    ]);
    expect(plan.warnings.find((w) => w.service === "api")?.message).toBe(
      "Ignored: Berth names containers itself; other services reach this one by its service name",
    );
  });

  it("names a compose service with _ or capitals by its DNS label, still reached by its compose name; refuses one that makes no label or a taken one", () => {
    const plan = planOf(
      importCompose(
        "services:\n  plausible_db: { image: postgres }\n  plausible:\n    image: nginx\n    depends_on: [plausible_db]\n" +
          "    environment: { DATABASE_URL: 'postgres://u:p@plausible_db:5432/db' }\n    networks: { default: { aliases: [Front, edge] } }\n",
      ),
    );
    expect(plan.services.map((s) => [s.fields.name, s.fields.aliases, s.dependsOn])).toEqual([
      ["plausible-db", "plausible_db", []],
      ["plausible", "front edge", [{ service: "plausible-db", condition: "service_started" }]],
    ]);
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        {
          service: "plausible_db",
          key: "(name)",
          message: "Named plausible-db in Berth (a service name is a DNS label); the stack's services still reach it as plausible_db",
        },
      ]),
    );
    // Capitals alone need no alias (DNS is not case-sensitive), and nothing is said.
    const capital = planOf(importCompose("services:\n  Web: { image: nginx }\n"));
    expect([capital.services[0]!.fields.name, capital.services[0]!.fields.aliases, capital.warnings]).toEqual(["web", "", []]);
    expect(errorsOf(importCompose("services:\n  a_b: { image: nginx }\n  a-b: { image: nginx }\n"))).toEqual([
      { service: "a-b", key: "(name)", message: "a-b and a_b would both be named a-b in Berth (_ becomes -): rename one" },
    ]);
    expect(errorsOf(importCompose("services:\n  my.app: { image: nginx }\n"))).toEqual([
      expect.objectContaining({ service: "my.app", key: "(name)", message: expect.stringMatching(/DNS label/) }),
    ]);
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, networks: { default: { ipv4_address: 10.0.0.5 } } }\n"))).toEqual([
      { service: "a", key: "networks", message: expect.stringMatching(/^Network addresses and options are not supported/) },
    ]);
  });

  it("takes a volume declared with driver: local (what every Berth volume is); another driver or its options are refused", () => {
    const local = planOf(importCompose("services:\n  a: { image: nginx, volumes: ['d:/d'] }\nvolumes: { d: { driver: local } }\n"));
    expect(local.warnings).toEqual([]);
    const nfs = errorsOf(
      importCompose("services:\n  a: { image: nginx, volumes: ['d:/d'] }\nvolumes: { d: { driver: local, driver_opts: { type: nfs } } }\n"),
    );
    expect(nfs.map((e) => e.key)).toEqual(["volumes.d.driver_opts"]);
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, volumes: ['d:/d'] }\nvolumes: { d: { driver: nfs } }\n"))).toEqual([
      { service: null, key: "volumes.d.driver", message: "Not supported: Berth volumes are local named volumes" },
    ]);
  });
});

describe("a required variable that is not set", () => {
  it("is one error at its first use by a service (not the x- block anchors copy from), counting the others", () => {
    const file = [
      "x-backend: &backend",
      "  SECRET_KEY: ${SECRET_KEY:?}",
      "  DATABASE_PASSWORD: ${DATABASE_PASSWORD:?}",
      "services:",
      "  backend: { image: nginx, environment: *backend }",
      "  celery: { image: nginx, environment: *backend }",
      "  db: { image: postgres, environment: [ 'POSTGRES_PASSWORD=${DATABASE_PASSWORD:?}' ] }",
      "",
    ].join("\n");
    expect(errorsOf(importCompose(file))).toEqual([
      {
        service: "backend",
        key: "environment.SECRET_KEY",
        message: "The variable SECRET_KEY is required and must not be empty (used in 2 other places too)",
      },
      {
        service: "backend",
        key: "environment.DATABASE_PASSWORD",
        message: "The variable DATABASE_PASSWORD is required and must not be empty (used in 3 other places too)",
      },
    ]);
  });
});

describe("keys Berth does not apply", () => {
  it("say why they are refused, and let through what changes nothing or only tightens (Mattermost's, Jellyfin's)", () => {
    const file = [
      "services:",
      "  app:",
      "    image: nginx",
      "    read_only: false",
      "    security_opt: [no-new-privileges:true]",
      "  jelly:",
      "    image: jellyfin/jellyfin",
      "    extra_hosts: ['host.docker.internal:host-gateway']",
      "    tmpfs: /tmp",
      "    read_only: true",
      "",
    ].join("\n");
    const r = importCompose(file);
    expect(errorsOf(r)).toEqual([
      { service: "jelly", key: "extra_hosts", message: expect.stringMatching(/does not edit containers' \/etc\/hosts/) },
      { service: "jelly", key: "tmpfs", message: expect.stringMatching(/^Not supported: tmpfs mounts/) },
      { service: "jelly", key: "read_only", message: expect.stringMatching(/^Not supported: a read-only root filesystem/) },
    ]);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        { service: "app", key: "read_only", message: "Ignored: it changes nothing" },
        { service: "app", key: "security_opt", message: expect.stringMatching(/^Ignored: no-new-privileges is not applied/) },
      ]),
    );
    // Another option still needs the instance owner.
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, security_opt: [no-new-privileges, 'seccomp:unconfined'] }\n"))).toEqual([
      { service: "a", key: "security_opt", message: expect.stringMatching(/^Refused: services.a.security_opt/) },
    ]);
  });
});
