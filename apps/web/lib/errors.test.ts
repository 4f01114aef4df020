import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorCode, errorMessage, fieldErrorsOf, formLevelMessage, isReadable } from "./errors";

function serverError(message: string, data: Record<string, unknown>) {
  return new TRPCClientError(message, { result: { error: { code: -32600, message, data } } as never });
}

describe("tRPC errors for people", () => {
  it("reads the code and the field messages", () => {
    const err = serverError("Port must be between 1 and 65535", {
      code: "BAD_REQUEST",
      fieldErrors: { containerPort: "Port must be between 1 and 65535", "env.0.key": ["bad key"] },
    });
    expect(errorCode(err)).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(err)).toEqual({ containerPort: "Port must be between 1 and 65535", "env.0.key": "bad key" });
  });

  it("shows the server's sentence, but never JSON", () => {
    expect(errorMessage(serverError("Only the instance owner can change instance settings", { code: "FORBIDDEN" }))).toBe(
      "Only the instance owner can change instance settings",
    );
    const zodJson = '[{"code":"too_small","path":["name"]}]';
    expect(errorMessage(serverError(zodJson, { code: "BAD_REQUEST" }))).toBe("Some of the details are not valid.");
  });

  it("explains network failures and timeouts", () => {
    expect(errorMessage(TRPCClientError.from(new TypeError("Failed to fetch")))).toMatch(/Can't reach the Berth server/);
    const timeout = new DOMException("signal timed out", "TimeoutError");
    expect(errorMessage(TRPCClientError.from(timeout))).toMatch(/took too long/);
  });

  it("says only what no field shows above the form", () => {
    const err = serverError("x", { code: "BAD_REQUEST", fieldErrors: { name: "Name is required", projectId: "Unknown project" } });
    expect(formLevelMessage(err, (key) => key === "name")).toBe("Unknown project");
    expect(formLevelMessage(err, () => true)).toBeNull();
    expect(formLevelMessage(null, () => true)).toBeNull();
    expect(formLevelMessage(serverError("Project not found", { code: "NOT_FOUND" }), () => true)).toBe("Project not found");
  });

  it("rejects parser internals as unreadable", () => {
    expect(isReadable("Unexpected token < in JSON at position 0")).toBe(false);
    expect(isReadable('A project named "x" already exists in this team')).toBe(true);
  });
});
