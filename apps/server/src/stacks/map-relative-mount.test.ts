import { describe, expect, it } from "vitest";
import { importCompose, type ImportOptions } from "./import-compose.ts";
import { errorsOf, memoryRepo, planOf } from "../../test/compose-results.ts";
import { volumeNameOf } from "./map-relative-mount.ts";

const one = (volumes: string, options?: ImportOptions) =>
  importCompose(`services:\n  app:\n    image: nginx\n    volumes:\n${volumes}`, options);

describe("a directory beside the compose file", () => {
  it("becomes a named volume, on an instance without host paths and on one with them, short and long syntax", () => {
    for (const allowBindMounts of [false, true]) {
      const plan = planOf(
        one("      - ./data:/app/data\n      - { type: bind, source: ../shared/db, target: /var/lib/db/ }\n", { allowBindMounts }),
      );
      expect(plan.services[0]!.fields.volumes).toEqual([
        { name: "data", mountPath: "/app/data", readOnly: false },
        { name: "shared-db", mountPath: "/var/lib/db", readOnly: false },
      ]);
      expect(plan.warnings).toEqual([
        {
          service: "app",
          key: "volumes.0",
          message: expect.stringMatching(/^\.\/data becomes the volume data: it starts with what the image has at \/app\/data/),
        },
        { service: "app", key: "volumes.1", message: expect.stringMatching(/^\.\.\/shared\/db becomes the volume shared-db/) },
      ]);
    }
  });

  it("names the volume after the path, the same on every import", () => {
    expect(volumeNameOf("./volumes/DB/data/")).toBe("volumes-db-data");
    expect(volumeNameOf("../../x")).toBe("x");
    expect(volumeNameOf(".")).toBe("data");
  });

  it("refuses what the stack itself would provide: a read-only mount, a file, a file or directory of the repository, init scripts", () => {
    const errors = errorsOf(
      one(
        [
          "      - ./conf:/etc/app:ro",
          "      - ./nginx.conf:/etc/nginx/nginx.conf",
          "      - ./Caddyfile:/etc/caddy/Caddyfile",
          "      - ./scripts:/scripts",
          "      - ./mysql-init:/docker-entrypoint-initdb.d",
          "      - ./data:/data",
          "",
        ].join("\n"),
        { repo: memoryRepo(".", { Caddyfile: ":80\n", "scripts/init.sh": "" }) },
      ),
    );
    expect(errors).toEqual([
      {
        service: "app",
        key: "volumes.0",
        message: expect.stringMatching(/^\.\/conf is mounted read-only, so it holds files of the stack's own: .*build it into the image/),
      },
      { service: "app", key: "volumes.1", message: expect.stringMatching(/^\.\/nginx\.conf is a file of the stack's own/) },
      { service: "app", key: "volumes.2", message: expect.stringMatching(/^\.\/Caddyfile is a file of the stack's own/) },
      { service: "app", key: "volumes.3", message: expect.stringMatching(/^\.\/scripts is a directory of the repository/) },
      {
        service: "app",
        key: "volumes.4",
        message: expect.stringMatching(/^\.\/mysql-init holds scripts the image runs at \/docker-entrypoint-initdb.d/),
      },
    ]);
  });

  it("is one service's: two services mounting it are refused, as any shared volume", () => {
    const errors = errorsOf(
      importCompose("services:\n  a: { image: nginx, volumes: [./data:/a] }\n  b: { image: nginx, volumes: [./data:/b] }\n"),
    );
    expect(errors).toEqual([
      { service: "b", key: "volumes.0", message: "The volume data is also mounted by a: a Berth volume belongs to one service" },
    ]);
  });
});

describe("the host's clock zone", () => {
  it("is ignored with a warning where host paths are off, and mounted where they are allowed", () => {
    const mounts = "      - /etc/localtime:/etc/localtime:ro\n      - /etc/timezone:/etc/timezone:ro\n";
    const off = planOf(one(mounts));
    expect(off.services[0]!.fields.volumes).toEqual([]);
    expect(off.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^Ignored: host paths are off on this instance, so the host's \/etc\/localtime is not mounted .*set TZ/),
      expect.stringMatching(/host's \/etc\/timezone is not mounted/),
    ]);
    const allowed = planOf(one(mounts, { allowBindMounts: true }));
    expect(allowed.services[0]!.fields.volumes.map((v) => v.hostPath)).toEqual(["/etc/localtime", "/etc/timezone"]);
  });

  it("is the only host path let through: others are still refused where host paths are off", () => {
    expect(errorsOf(one("      - /etc:/host-etc:ro\n"))).toEqual([
      { service: "app", key: "volumes.0", message: expect.stringMatching(/Mounting the host path \/etc is off on this instance/) },
    ]);
  });
});

describe("a variable leading a mount's source", () => {
  it("is refused when it is not set (GitLab's $GITLAB_HOME/config), rather than mounting a path from the host's /", () => {
    for (const allowBindMounts of [false, true]) {
      const errors = errorsOf(
        one("      - '$GITLAB_HOME/config:/etc/gitlab'\n      - '${GITLAB_HOME}/logs:/var/log/gitlab'\n", { allowBindMounts }),
      );
      expect(errors).toEqual([
        {
          service: "app",
          key: "volumes.0",
          message: expect.stringMatching(/^The mount's source starts with \$\{GITLAB_HOME\}, which is not set/),
        },
        { service: "app", key: "volumes.1", message: expect.stringMatching(/\$\{GITLAB_HOME\}, which is not set/) },
      ]);
    }
    const set = planOf(
      one("      - '$GITLAB_HOME/config:/etc/gitlab'\n", { allowBindMounts: true, variables: { GITLAB_HOME: "/srv/gitlab" } }),
    );
    expect(set.services[0]!.fields.volumes).toEqual([
      { name: "app-etc-gitlab", mountPath: "/etc/gitlab", readOnly: false, hostPath: "/srv/gitlab/config" },
    ]);
  });

  it("$PWD is the compose file's directory, as where compose runs (Baserow's $PWD/Caddyfile), unless the stack sets it", () => {
    expect(errorsOf(one("      - $PWD/Caddyfile:/etc/caddy/Caddyfile\n"))).toEqual([
      { service: "app", key: "volumes.0", message: expect.stringMatching(/^\.\/Caddyfile is a file of the stack's own/) },
    ]);
    expect(planOf(one("      - ${PWD}/media:/media\n")).services[0]!.fields.volumes).toEqual([
      { name: "media", mountPath: "/media", readOnly: false },
    ]);
    const own = planOf(one("      - $PWD/media:/media\n", { allowBindMounts: true, variables: { PWD: "/srv" } }));
    expect(own.services[0]!.fields.volumes[0]).toMatchObject({ hostPath: "/srv/media" });
  });
});
