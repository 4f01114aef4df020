import { describe, expect, it } from "vitest";
import { isThemeChoice, resolvesToDark, THEME_SCRIPT } from "./theme";

describe("theme", () => {
  it("follows the system only when the choice is system", () => {
    expect(resolvesToDark("system", true)).toBe(true);
    expect(resolvesToDark("system", false)).toBe(false);
    expect(resolvesToDark("light", true)).toBe(false);
    expect(resolvesToDark("dark", false)).toBe(true);
  });

  it("accepts only the three choices from storage", () => {
    expect(["system", "light", "dark", "blue", null].map(isThemeChoice)).toEqual([true, true, true, false, false]);
  });

  it("the pre-paint script reads the same storage key and is a self-contained expression", () => {
    expect(THEME_SCRIPT).toContain('"berth-theme"');
    expect(() => new Function(THEME_SCRIPT)).not.toThrow();
  });
});
