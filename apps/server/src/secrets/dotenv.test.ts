import { describe, expect, it } from "vitest";
import { parseDotenv } from "./dotenv.ts";

describe("parseDotenv", () => {
  it("reads plain, exported, quoted and commented lines", () => {
    const text = ["# comment", "", "A=1", "export B = two words # note", "C='lit $x \\n'", 'D="a\\nb \\"q\\""', "E=", "F=x=y"].join("\n");
    expect(parseDotenv(text)).toEqual({
      entries: [
        { name: "A", value: "1" },
        { name: "B", value: "two words" },
        { name: "C", value: "lit $x \\n" },
        { name: "D", value: 'a\nb "q"' },
        { name: "E", value: "" },
        { name: "F", value: "x=y" },
      ],
    });
  });

  it("reports every bad line with its number and returns nothing", () => {
    const result = parseDotenv(["OK=1", "no equals", "1BAD=x", "OK=2", 'Q="open', "R='x' trailing"].join("\n"));
    expect(result).toEqual({
      errors: [
        "Line 2: expected NAME=value",
        'Line 3: "1BAD" is not a valid variable name (letters, digits and _, not starting with a digit)',
        "Line 4: OK is set twice",
        "Line 5: the double quote is not closed",
        "Line 6: unexpected text after the closing quote",
      ],
    });
  });

  it("accepts CRLF line endings", () => {
    expect(parseDotenv("A=1\r\nB=2\r\n")).toEqual({ entries: [{ name: "A", value: "1" }, { name: "B", value: "2" }] });
  });
});
