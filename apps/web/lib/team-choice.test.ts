import { describe, expect, it } from "vitest";
import { chosenTeam } from "./team-choice";

describe("chosenTeam", () => {
  const teams = [{ id: "personal" }, { id: "acme" }];

  it("is the remembered team when the user still belongs to it", () => {
    expect(chosenTeam(teams, "acme")?.id).toBe("acme");
  });

  it("falls back to the first (personal) team when none is remembered or the user left it", () => {
    expect(chosenTeam(teams, null)?.id).toBe("personal");
    expect(chosenTeam(teams, "gone")?.id).toBe("personal");
  });

  it("is undefined for a user without teams", () => {
    expect(chosenTeam([], "acme")).toBeUndefined();
  });
});
