import { describe, expect, it } from "vitest";
import { terminalOpenInput } from "./terminals.ts";

describe("terminal:open input", () => {
  const serviceId = "7b0c1b9e-3f57-4a53-9d0c-4a3f7e2f1c11";

  it("defaults the size to 80x24 (the client sends its real size with terminal:resize)", () => {
    expect(terminalOpenInput.parse({ serviceId })).toEqual({ serviceId, cols: 80, rows: 24 });
  });

  it("refuses a non-id service and sizes outside 1-1000", () => {
    expect(terminalOpenInput.safeParse({ serviceId: "../etc" }).success).toBe(false);
    expect(terminalOpenInput.safeParse({ serviceId, cols: 0, rows: 24 }).success).toBe(false);
    expect(terminalOpenInput.safeParse({ serviceId, cols: 80, rows: 1001 }).success).toBe(false);
    expect(terminalOpenInput.safeParse({ serviceId, cols: 80.5, rows: 24 }).success).toBe(false);
  });
});
