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
    // A quote left open swallows the lines after it (a multi-line value): it is reported last.
    const result = parseDotenv(["OK=1", "no equals", "1BAD=x", "OK=2", "R='x' trailing", 'Q="open'].join("\n"));
    expect(result).toEqual({
      errors: [
        "Line 2: expected NAME=value",
        'Line 3: "1BAD" is not a valid variable name (use letters, digits, _, . and -, starting with a letter or _)',
        "Line 4: OK is set twice",
        "Line 5: unexpected text after the closing quote",
        "Line 6: the double quote is not closed",
      ],
    });
  });

  it("accepts CRLF line endings", () => {
    expect(parseDotenv("A=1\r\nB=2\r\n")).toEqual({
      entries: [
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ],
    });
  });

  it("keeps multi-line quoted values (a PEM key pasted as is) with their line breaks; the next variable follows", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
    const text = ["A=1", `KEY="${pem}"`, `LIT='line one`, "line two' # note", "B=2"].join("\r\n");
    expect(parseDotenv(text)).toEqual({
      entries: [
        { name: "A", value: "1" },
        { name: "KEY", value: pem },
        { name: "LIT", value: "line one\nline two" },
        { name: "B", value: "2" },
      ],
    });
  });

  it("reports a multi-line quote that never closes at the line it opened", () => {
    expect(parseDotenv(["A=1", 'KEY="-----BEGIN', "abc", "B=2"].join("\n"))).toEqual({
      errors: ["Line 2: the double quote is not closed"],
    });
  });
});
