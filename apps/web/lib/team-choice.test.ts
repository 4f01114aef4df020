import { describe, expect, it } from "vitest";
import { chooseTeam } from "./team-choice";

const teams = [{ id: "personal" }, { id: "shared" }];

describe("chooseTeam", () => {
  it("takes the chosen team while the user is in it", () => {
    expect(chooseTeam(teams, "shared")).toEqual({ id: "shared" });
  });

  it("falls back to the first team without a choice, or when the user left the chosen one", () => {
    expect(chooseTeam(teams, null)).toEqual({ id: "personal" });
    expect(chooseTeam(teams, "left-long-ago")).toEqual({ id: "personal" });
    expect(chooseTeam([], "shared")).toBeUndefined();
  });
});
