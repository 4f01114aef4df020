import { describe, expect, it } from "vitest";
import { addressClashes } from "./service-addresses.ts";

const svc = (name: string, ...aliases: string[]) => ({ name, aliases });

describe("addresses on a project's network", () => {
  it("refuses an alias that is another service's name or alias, whatever its capitals", () => {
    const existing = [svc("db"), svc("cache", "redis")];
    expect(addressClashes(existing, [svc("web", "DB", "Redis", "site")])).toEqual([
      { service: "web", field: "aliases", message: expect.stringContaining('"DB" is already the name of the service "db"') },
      { service: "web", field: "aliases", message: expect.stringContaining('"Redis" is already a network alias of the service "cache"') },
    ]);
  });

  it("refuses a name that is another service's alias", () => {
    expect(addressClashes([svc("cache", "redis")], [svc("redis")])).toEqual([
      { service: "redis", field: "name", message: expect.stringContaining('"redis" is a network alias of the service "cache"') },
    ]);
  });

  it("lets a service keep its own name as an alias, and ignores the service it replaces", () => {
    expect(addressClashes([svc("db")], [svc("web", "web", "site")])).toEqual([]);
    // Saving a service compares it with the others only (the caller leaves it out of `existing`).
    expect(addressClashes([], [svc("cache", "redis")])).toEqual([]);
  });

  it("reports a clash between two services saved together once", () => {
    const clashes = addressClashes([], [svc("db"), svc("api", "db", "backend"), svc("worker", "backend")]);
    expect(clashes.map((c) => [c.service, c.field, c.message.split(":")[0]])).toEqual([
      ["api", "aliases", '"db" is already the name of the service "db" in this project'],
      ["worker", "aliases", '"backend" is already a network alias of the service "api" in this project'],
    ]);
  });
});
