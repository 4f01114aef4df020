import { describe, expect, it } from "vitest";
import { importCompose } from "./import-compose.ts";
import { planOf } from "../../test/compose-results.ts";

const service = (yaml: string) => {
  const plan = planOf(importCompose(`services:\n  app:\n${yaml}`));
  return { ...plan.services[0]!.fields, warnings: plan.warnings.filter((w) => w.key === "labels").map((w) => w.message) };
};

describe("Traefik's labels", () => {
  it("make a service with expose: only a web service on that port, naming the hosts to add as domains (a Dokploy file)", () => {
    const app = service(
      "    image: nginx\n    expose: ['3000']\n    labels:\n      - traefik.enable=true\n" +
        "      - traefik.http.routers.omnibase.rule=Host(`omni.example.com`) || Host(`www.example.com`)\n",
    );
    expect([app.kind, app.containerPort, app.publish]).toEqual(["web", 3000, null]);
    expect(app.warnings).toEqual([
      "Traefik's labels are not read by Berth's proxy: served through its domain on port 3000; add omni.example.com, www.example.com as a domain on the service's page",
    ]);
    // Kept on the container, as every label.
    expect(app.labels["traefik.enable"]).toBe("true");
  });

  it("take the load balancer's port, with no ports at all (Traefik's whoami)", () => {
    const app = service(
      "    image: traefik/whoami\n    labels:\n      traefik.http.routers.whoami.rule: Host(`whoami.localhost`)\n" +
        "      traefik.http.services.whoami.loadbalancer.server.port: '80'\n",
    );
    expect([app.kind, app.containerPort]).toEqual(["web", 80]);
  });

  it("say so when they name no port, and change nothing where x-berth-kind decides or Traefik is off", () => {
    const noPort = service("    image: traefik/whoami\n    labels: { traefik.http.routers.w.rule: 'Host(`w.localhost`)' }\n");
    expect([noPort.kind, noPort.containerPort]).toEqual(["worker", null]);
    expect(noPort.warnings).toEqual([expect.stringMatching(/name no port: set x-berth-kind: web/)]);
    const tcp = service("    image: redis\n    expose: ['6379']\n    x-berth-kind: tcp\n    labels: { traefik.enable: 'true' }\n");
    expect([tcp.kind, tcp.containerPort]).toEqual(["tcp", 6379]);
    const off = service("    image: redis\n    expose: ['6379']\n    labels: { traefik.enable: 'false' }\n");
    expect([off.kind, off.warnings]).toEqual(["tcp", []]);
  });
});
