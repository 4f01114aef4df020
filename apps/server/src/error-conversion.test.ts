import { describe, expect, it } from "vitest";
import { EngineError } from "@berth/engine";
import { z } from "zod";
import { DomainError, invalidField } from "./errors.ts";
import { fieldErrorsOf, toTRPCError } from "./trpc/errors.ts";

describe("error conversion", () => {
  it("maps domain errors to transport codes", () => {
    expect(toTRPCError(new DomainError("NOT_FOUND", "Service not found"))?.code).toBe("NOT_FOUND");
    expect(toTRPCError(new DomainError("FORBIDDEN", "no"))?.code).toBe("FORBIDDEN");
    expect(toTRPCError(invalidField("name", "taken"))?.code).toBe("BAD_REQUEST");
  });

  it("maps an unreachable engine to SERVICE_UNAVAILABLE and says so", () => {
    const err = new EngineError({
      code: "ENGINE_UNAVAILABLE",
      operation: "ping",
      resource: "engine",
      message: "connect ENOENT /var/run/docker.sock",
    });
    const converted = toTRPCError(err);
    expect(converted?.code).toBe("SERVICE_UNAVAILABLE");
    expect(converted?.message).toMatch(/Docker Engine is unreachable/);
  });

  it("maps an unreachable database to SERVICE_UNAVAILABLE", () => {
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(toTRPCError(err)?.message).toMatch(/PostgreSQL/);
  });

  it("leaves unknown errors alone (they become INTERNAL_SERVER_ERROR without their text)", () => {
    expect(toTRPCError(new Error("boom"))).toBeNull();
  });

  it("collects field errors from zod issues and domain errors", () => {
    const parsed = z.object({ a: z.array(z.object({ b: z.string() })) }).safeParse({ a: [{ b: 1 }] });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error)).toEqual({ "a.0.b": expect.any(String) });
    expect(fieldErrorsOf(invalidField("name", "taken"))).toEqual({ name: "taken" });
  });
});
