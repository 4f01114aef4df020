import { describe, expect, it } from "vitest";
import { roleAtLeast } from "./roles";

describe("roleAtLeast", () => {
  it("orders viewer < member < admin < owner", () => {
    expect(roleAtLeast("viewer", "member")).toBe(false);
    expect(roleAtLeast("member", "member")).toBe(true);
    expect(roleAtLeast("owner", "admin")).toBe(true);
    expect(roleAtLeast("admin", "owner")).toBe(false);
    expect(roleAtLeast(undefined, "viewer")).toBe(false);
  });
});
