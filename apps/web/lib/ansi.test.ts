import { describe, expect, it } from "vitest";
import { parseAnsi } from "./ansi";

describe("parseAnsi", () => {
  it("turns SGR colours and bold into segments and drops the escape codes", () => {
    expect(parseAnsi("plain")).toEqual([{ text: "plain", className: "" }]);
    expect(parseAnsi("\u001b[32mok\u001b[0m done")).toEqual([
      { text: "ok", className: "text-emerald-400" },
      { text: " done", className: "" },
    ]);
    expect(parseAnsi("\u001b[1;31mERR\u001b[m x")).toEqual([
      { text: "ERR", className: "text-red-400 font-bold" },
      { text: " x", className: "" },
    ]);
  });
  it("ignores non-colour escapes such as cursor moves", () => {
    expect(parseAnsi("a\u001b[2Kb")).toEqual([{ text: "ab", className: "" }]);
  });
});
