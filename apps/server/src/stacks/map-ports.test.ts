import { describe, expect, it } from "vitest";
import { importCompose } from "./import-compose.ts";
import { planOf } from "../../test/compose-results.ts";

const service = (yaml: string) => planOf(importCompose(`services:\n  app:\n${yaml}`)).services[0]!.fields;

describe("the routed port", () => {
  it("is the first that may be HTTP: RabbitMQ's management UI, not Erlang's port mapper", () => {
    const rabbit = service("    image: rabbitmq:3-management\n    ports: ['4369:4369', '5672:5672', '15672:15672']\n");
    expect([rabbit.kind, rabbit.containerPort]).toEqual(["web", 15672]);
    const amqpOnly = service("    image: rabbitmq:3\n    ports: ['4369:4369', '5672:5672']\n");
    expect([amqpOnly.kind, amqpOnly.containerPort]).toEqual(["tcp", 4369]);
  });

  it("of a database image the file gives no port is its well-known one (Immich's postgres, Valkey)", () => {
    expect(
      ["ghcr.io/immich-app/postgres:14", "docker.io/valkey/valkey:8-bookworm", "mariadb@sha256:" + "a".repeat(64)].map((image) => {
        const app = service(`    image: ${image}\n`);
        return [app.kind, app.containerPort];
      }),
    ).toEqual([
      ["tcp", 5432],
      ["tcp", 6379],
      ["tcp", 3306],
    ]);
    expect([service("    image: example/worker\n").kind, service("    image: redis\n    x-berth-kind: worker\n").kind]).toEqual([
      "worker",
      "worker",
    ]);
  });
});
