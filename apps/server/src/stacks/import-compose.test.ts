import { describe, expect, it } from "vitest";
import { importCompose } from "./import-compose.ts";
import { errorsOf, planOf } from "../../test/compose-results.ts";
import { dependencyOrder } from "./dependency-order.ts";

const fourServices = `
services:
  web:
    image: berth-test/hello:latest
    ports: ["8080:8080"]
    depends_on: { api: { condition: service_started } }
  api:
    image: berth-test/hello:latest
    command: ["httpd", "-f", "-p", "8080"]
    expose: ["8080"]
    environment:
      DATABASE_URL: postgres://app:\${DB_PASSWORD}@db/app
      MODE: api
    depends_on: { db: { condition: service_healthy } }
  worker:
    image: berth-test/app:latest
    command: sh -c 'sleep 1000'
    restart: on-failure:3
    depends_on: [db]
    deploy: { replicas: 2, resources: { limits: { memory: 64m, cpus: "0.5", pids: 100 } } }
  db:
    image: berth-test/postgres:15
    environment: [POSTGRES_PASSWORD]
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 2s
      timeout: 1m
      start_period: 0s
      retries: 30
volumes:
  pgdata:
`;

describe("importing a compose file", () => {
  it("maps each service onto Berth's settings, in dependency order", () => {
    const plan = planOf(importCompose(fourServices, { variables: { DB_PASSWORD: "pw", POSTGRES_PASSWORD: "pw" } }));
    expect(plan.services.map((s) => s.fields.name)).toEqual(["db", "api", "web", "worker"]);
    const [db, api, web, worker] = plan.services;
    // A PostgreSQL image listens on 5432 without the file saying so: a TCP service there.
    expect(db!.fields).toMatchObject({
      kind: "tcp",
      containerPort: 5432,
      volumes: [{ name: "pgdata", mountPath: "/var/lib/postgresql/data", readOnly: false }],
      env: [{ key: "POSTGRES_PASSWORD", value: "pw" }],
    });
    expect(db!.fields.env).toEqual([{ key: "POSTGRES_PASSWORD", value: "pw" }]);
    expect(db!.fields.healthCheck).toEqual({
      type: "command",
      command: "/bin/sh -c 'pg_isready -U postgres'",
      intervalS: 2,
      timeoutS: 60,
      startPeriodS: 0,
      retries: 30,
    });
    expect(db!.secretEnv).toEqual(["POSTGRES_PASSWORD"]);
    // The health stage waits as long as compose would before calling it unhealthy: (2 s + 60 s) x 30.
    expect(db!.fields.timeouts).toEqual({ healthTimeoutS: 1860 });
    expect(api!.fields.timeouts).toBeUndefined();
    expect(api!.fields).toMatchObject({ kind: "tcp", containerPort: 8080, command: "httpd -f -p 8080" });
    expect(api!.fields.env).toEqual([
      { key: "DATABASE_URL", value: "postgres://app:pw@db/app" },
      { key: "MODE", value: "api" },
    ]);
    expect(api!.secretEnv).toEqual(["DATABASE_URL"]);
    expect(api!.dependsOn).toEqual([{ service: "db", condition: "service_healthy" }]);
    expect(web!.fields).toMatchObject({ kind: "web", containerPort: 8080, publish: null });
    expect(worker!.fields).toMatchObject({
      kind: "worker",
      replicas: 2,
      restartPolicy: "on-failure",
      limits: { memoryMb: 64, cpus: 0.5, pidsLimit: 100 },
      command: "sh -c 'sleep 1000'",
    });
    expect(worker!.dependsOn).toEqual([{ service: "db", condition: "service_started" }]);
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: "web", key: "ports", message: expect.stringMatching(/host port 8080 is not published/) }),
        expect.objectContaining({ service: "worker", key: "restart", message: expect.stringMatching(/retry limit 3/) }),
      ]),
    );
  });

  it("publishes a TCP port when the service asks for it", () => {
    const plan = planOf(
      importCompose("services:\n  db:\n    image: berth-test/postgres:15\n    x-berth-kind: tcp\n    ports: ['127.0.0.1:15432:5432']\n"),
    );
    expect(plan.services[0]!.fields).toMatchObject({
      kind: "tcp",
      containerPort: 5432,
      publish: { hostPort: 15432, bindAddress: "127.0.0.1" },
    });
  });

  it("lists every unsupported key with its service in one error, and ignores harmless ones with a warning", () => {
    const r = importCompose(`
version: "3"
services:
  web:
    image: nginx
    container_name: my-web
    mac_address: 02:42:ac:11:65:43
  job:
    build: .
    env_file: job.env
secrets:
  token: { file: ./token }
`);
    const errors = errorsOf(r);
    expect(errors).toEqual(
      expect.arrayContaining([
        { service: "web", key: "mac_address", message: "Not supported by Berth" },
        expect.objectContaining({ service: "job", key: "build", message: expect.stringMatching(/needs a git-sourced stack/) }),
        expect.objectContaining({ service: null, key: "secrets" }),
      ]),
    );
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          service: "web",
          key: "container_name",
          message: expect.stringMatching(/^Ignored: .* as my-web \(a network alias\)/),
        }),
        expect.objectContaining({ service: null, key: "version" }),
      ]),
    );
  });

  it("applies labels, refusing Berth's own io.berth. prefix", () => {
    const plan = planOf(
      importCompose("services:\n  web:\n    image: nginx\n    labels: ['com.example.tier=web', 'traefik.enable=true']\n"),
    );
    expect(plan.services[0]!.fields.labels).toEqual({ "com.example.tier": "web", "traefik.enable": "true" });
    expect(errorsOf(importCompose("services:\n  web:\n    image: nginx\n    labels: { io.berth.service: other }\n"))).toEqual([
      expect.objectContaining({ service: "web", key: "labels.io.berth.service", message: expect.stringMatching(/reserved/) }),
    ]);
  });

  it("refuses dangerous keys and the Docker socket", () => {
    const errors = errorsOf(
      importCompose(
        `
services:
  agent:
    image: portainer/agent
    privileged: true
    cap_add: [NET_ADMIN]
    devices: ["/dev/fuse"]
    network_mode: host
    pid: host
    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
`,
        { allowBindMounts: true },
      ),
    );
    const keys = errors.map((e) => `${e.service}:${e.key}`);
    expect(keys).toEqual(
      expect.arrayContaining(["agent:privileged", "agent:cap_add", "agent:devices", "agent:network_mode", "agent:pid", "agent:volumes.0"]),
    );
    expect(errors.every((e) => /Refused/.test(e.message))).toBe(true);
    // A member is told which key at which path, and who can allow it.
    expect(errors.find((e) => e.key === "privileged")?.message).toBe(
      'Refused: services.agent.privileged gives the container full access to the host. Only the instance owner can allow keys with power over the host (Settings, "Host access for compose stacks")',
    );
    expect(errors.find((e) => e.key === "pid")?.message).toMatch(
      /^Refused: services\.agent\.pid shares the host's namespace .* Only the instance owner can allow/,
    );
  });

  it("maps them onto the service where the instance owner allows host access; the Docker socket and the Docker API stay refused", () => {
    const agent = `
services:
  agent:
    image: portainer/agent
    privileged: true
    cap_add: [net_admin, SYS_PTRACE]
    devices: ["/dev/fuse", { source: /dev/net/tun, target: /dev/tun, permissions: rw }]
    security_opt: ["apparmor=unconfined"]
    network_mode: host
    pid: host
`;
    const plan = planOf(importCompose(agent, { allowHostAccess: true }));
    expect(plan.services[0]!.fields).toMatchObject({
      kind: "worker",
      hostAccess: {
        privileged: true,
        capAdd: ["NET_ADMIN", "SYS_PTRACE"],
        devices: [
          { hostPath: "/dev/fuse", containerPath: "/dev/fuse", permissions: "rwm" },
          { hostPath: "/dev/net/tun", containerPath: "/dev/tun", permissions: "rw" },
        ],
        securityOpt: ["apparmor=unconfined"],
        hostNamespaces: ["network", "pid"],
      },
    });
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          service: "agent",
          message: expect.stringMatching(
            /^Allowed by the instance owner: privileged, cap_add, devices, security_opt, network_mode, pid give this service power/,
          ),
        }),
      ]),
    );
    const still = errorsOf(
      importCompose(
        "services:\n  a:\n    image: x\n    use_api_socket: true\n    network_mode: host\n    ports: ['80']\n    volumes: ['/var/run/docker.sock:/var/run/docker.sock']\n    cap_add: ['not a cap']\n",
        { allowHostAccess: true, allowBindMounts: true },
      ),
    );
    expect(still.map((e) => e.key)).toEqual(["use_api_socket", "cap_add", "network_mode", "volumes.0"]);
    // Keys that grant nothing are harmless, allowed or not.
    expect(
      planOf(importCompose("services:\n  a: { image: x, privileged: false, cap_add: [] }\n")).warnings.map((w) => `${w.key}: ${w.message}`),
    ).toEqual(["privileged: Ignored: it grants nothing", "cap_add: Ignored: it grants nothing"]);
  });

  it("refuses bind mounts unless the instance allows them", () => {
    const text = "services:\n  web:\n    image: nginx\n    volumes: ['/srv/site:/usr/share/nginx/html:ro']\n";
    expect(errorsOf(importCompose(text))).toEqual([
      expect.objectContaining({ service: "web", key: "volumes.0", message: expect.stringMatching(/off on this instance/) }),
    ]);
    const plan = planOf(importCompose(text, { allowBindMounts: true }));
    expect(plan.services[0]!.fields.volumes).toEqual([
      { name: "web-usr-share-nginx-html", mountPath: "/usr/share/nginx/html", readOnly: true, hostPath: "/srv/site" },
    ]);
  });

  it("refuses a cycle in depends_on, naming it", () => {
    const errors = errorsOf(
      importCompose(
        "services:\n  a: { image: nginx, depends_on: [b] }\n  b: { image: nginx, depends_on: [c] }\n  c: { image: nginx, depends_on: [a] }\n",
      ),
    );
    expect(errors).toEqual([{ service: "a", key: "depends_on", message: "A dependency cycle: a -> b -> c -> a" }]);
  });

  it("refuses an unknown dependency and a file that does not match the compose schema", () => {
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, depends_on: [ghost] }\n"))).toEqual([
      expect.objectContaining({ service: "a", key: "depends_on", message: "ghost is not a service of this stack" }),
    ]);
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, ports: 80 }\n"))).toEqual([
      expect.objectContaining({ service: "a", key: "ports" }),
    ]);
    expect(errorsOf(importCompose("services:\n  a: { image: nginx, restrat: always }\n"))).toEqual([
      { service: "a", key: "restrat", message: "restrat is not a compose key here" },
    ]);
    expect(errorsOf(importCompose("services: [a\n"))[0]).toMatchObject({ key: "(yaml)" });
    // One bad indent is one error, at its line and column (the parser's follow-on errors are counted, not listed).
    expect(errorsOf(importCompose("services:\n  web:\n\timage: nginx\n   ports: [80]\n"))).toEqual([
      {
        service: null,
        key: "(yaml)",
        message: "Line 3, column 1: Tabs are not allowed as indentation (fix it first: 2 more problems may follow from it)",
      },
    ]);
  });

  it("reports a required variable that is missing, at its service", () => {
    expect(errorsOf(importCompose("services:\n  a:\n    image: nginx\n    environment: { P: '${P:?give a password}' }\n"))).toEqual([
      { service: "a", key: "environment.P", message: "P: give a password" },
    ]);
  });

  it("leaves out services whose profile is not enabled", () => {
    const text = "services:\n  app: { image: nginx }\n  debug: { image: busybox, profiles: [debug], depends_on: [app] }\n";
    expect(planOf(importCompose(text)).services.map((s) => s.fields.name)).toEqual(["app"]);
    expect(planOf(importCompose(text, { profiles: ["debug"] })).services.map((s) => s.fields.name)).toEqual(["app", "debug"]);
    const needsDebug = "services:\n  app: { image: nginx, depends_on: [debug] }\n  debug: { image: busybox, profiles: [debug] }\n";
    expect(errorsOf(importCompose(needsDebug))).toEqual([
      expect.objectContaining({ service: "app", message: "debug is left out by its profile: enable the profile" }),
    ]);
  });

  it("reports Berth's own rules at the compose key", () => {
    const errors = errorsOf(
      importCompose(
        "services:\n  a:\n    image: nginx\n    deploy: { replicas: 50 }\n    healthcheck: { test: ['CMD', 'true'], interval: 10m }\n",
      ),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { service: "a", key: "deploy.replicas", message: "At most 10" },
        { service: "a", key: "healthcheck", message: "Interval: at most 300 s" },
      ]),
    );
  });

  it("makes a service others wait for with service_completed_successfully a job, ordered before them", () => {
    const r = importCompose(
      "services:\n  a: { image: nginx, ports: ['80'], depends_on: { migrate: { condition: service_completed_successfully } } }\n  migrate: { image: nginx, command: migrate up, ports: ['9000'], restart: always, deploy: { replicas: 2 } }\n",
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.services.map((s) => s.fields.name)).toEqual(["migrate", "a"]);
    expect(r.services[0]!.fields).toMatchObject({
      job: true,
      kind: "worker",
      containerPort: null,
      replicas: 1,
      restartPolicy: "no",
      command: "migrate up",
    });
    expect(r.services[1]!.fields).toMatchObject({ kind: "web", containerPort: 80 });
    expect(r.services[1]!.fields.job).toBeUndefined();
    expect(r.services[1]!.dependsOn).toEqual([{ service: "migrate", condition: "service_completed_successfully" }]);
    expect(r.warnings.filter((w) => w.service === "migrate").map((w) => w.key)).toEqual(["ports", "deploy.replicas", "restart"]);
  });

  it("refuses a volume shared by two services", () => {
    const shared = errorsOf(
      importCompose("services:\n  a: { image: nginx, volumes: ['d:/d'] }\n  b: { image: nginx, volumes: ['d:/e'] }\nvolumes: { d: {} }\n"),
    );
    expect(shared).toEqual([
      { service: "b", key: "volumes.0", message: "The volume d is also mounted by a: a Berth volume belongs to one service" },
    ]);
  });
});

describe("dependency order", () => {
  it("keeps file order where nothing depends on anything", () => {
    expect(
      dependencyOrder([
        { name: "a", dependsOn: [] },
        { name: "b", dependsOn: [] },
      ]),
    ).toEqual({ order: ["a", "b"] });
    expect(
      dependencyOrder([
        { name: "a", dependsOn: [{ service: "b" }] },
        { name: "b", dependsOn: [] },
      ]),
    ).toEqual({ order: ["b", "a"] });
    expect(dependencyOrder([{ name: "a", dependsOn: [{ service: "a" }] }])).toEqual({ cycle: ["a", "a"] });
  });
});
