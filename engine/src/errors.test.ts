import { describe, expect, it } from "vitest";
import { EngineError, engineMessage, isEngineError, orNullIfMissing, toEngineError } from "./errors.ts";

function dockerodeError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } });
}

function sysError(code: string): Error {
  return Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code, syscall: "connect" });
}

describe("toEngineError", () => {
  it.each([
    [404, "NOT_FOUND"],
    [409, "CONFLICT"],
    [500, "ENGINE_ERROR"],
    [400, "ENGINE_ERROR"],
  ])("maps HTTP %i to %s and keeps the engine's message", (status, code) => {
    const err = toEngineError(dockerodeError(status, "No such container: abc"), "inspect container", "abc");
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe(code);
    expect(err.operation).toBe("inspect container");
    expect(err.resource).toBe("abc");
    expect(err.message).toBe("inspect container abc: No such container: abc");
    expect(err.details).toEqual({ statusCode: status });
  });

  it.each(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET"])("maps socket error %s to ENGINE_UNAVAILABLE", (code) => {
    const err = toEngineError(sysError(code), "ping", "unix:///nope.sock");
    expect(err.code).toBe("ENGINE_UNAVAILABLE");
    expect(err.message).toContain(code);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it("maps an aborted request to ENGINE_UNAVAILABLE", () => {
    const abort = Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
    expect(toEngineError(abort, "list containers", "berth").code).toBe("ENGINE_UNAVAILABLE");
  });

  it("passes EngineErrors through unchanged", () => {
    const original = new EngineError({ code: "INVALID", operation: "x", resource: "y", message: "bad" });
    expect(toEngineError(original, "other", "z")).toBe(original);
  });

  it("falls back to ENGINE_ERROR for anything else", () => {
    expect(toEngineError("weird", "op", "res").code).toBe("ENGINE_ERROR");
    expect(toEngineError(new TypeError("boom"), "op", "res").message).toBe("op res: boom");
  });
});

describe("engineMessage / isEngineError", () => {
  it("strips dockerode's HTTP prefix when there is no JSON message", () => {
    const err = Object.assign(new Error('(HTTP code 500) server error - Get "https://registry/v2/": no such host '), { statusCode: 500 });
    expect(engineMessage(err)).toBe('Get "https://registry/v2/": no such host');
  });

  it("checks the code when given", () => {
    const err = new EngineError({ code: "TIMEOUT", operation: "o", resource: "r", message: "m", details: { logs: ["a"] } });
    expect(isEngineError(err)).toBe(true);
    expect(isEngineError(err, "TIMEOUT")).toBe(true);
    expect(isEngineError(err, "NOT_FOUND")).toBe(false);
    expect(isEngineError(new Error("x"))).toBe(false);
    expect(err.details?.logs).toEqual(["a"]);
    expect(err.name).toBe("EngineError");
  });
});

describe("orNullIfMissing", () => {
  const error = (code: "NOT_FOUND" | "ENGINE_UNAVAILABLE") => new EngineError({ code, operation: "inspect", resource: "x", message: code });

  it("gives the answer, null for NOT_FOUND, and passes every other error on", async () => {
    expect(await orNullIfMissing(Promise.resolve({ Id: "a" }))).toEqual({ Id: "a" });
    expect(await orNullIfMissing(Promise.reject(error("NOT_FOUND")))).toBeNull();
    await expect(orNullIfMissing(Promise.reject(error("ENGINE_UNAVAILABLE")))).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });
    await expect(orNullIfMissing(Promise.reject(new Error("404 from a socket")))).rejects.toThrow("404 from a socket");
  });
});
