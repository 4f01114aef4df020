import { describe, expect, it } from "vitest";
import { interpolate, interpolateTree } from "./interpolate.ts";

const vars = { SET: "value", EMPTY: "" };
const value = (text: string) => interpolate(text, vars).value;

describe("compose interpolation", () => {
  it("substitutes $VAR and ${VAR}, and $$ is a literal $", () => {
    expect(value("a-$SET-${SET}-b")).toBe("a-value-value-b");
    expect(value("$$SET costs $$5")).toBe("$SET costs $5");
    expect(value("price: 5$")).toBe("price: 5$");
  });

  it("reports a variable that is not set and uses an empty string", () => {
    expect(interpolate("x${NOPE}y$NOPE", vars)).toEqual({ value: "xy", missing: ["NOPE"] });
  });

  it("applies defaults: :- for unset or empty, - for unset only", () => {
    expect(value("${EMPTY:-d}|${EMPTY-d}|${NOPE-d}|${NOPE:-d}|${SET:-d}")).toBe("d||d|d|value");
  });

  it("nests defaults", () => {
    expect(value("${NOPE:-${SET}}")).toBe("value");
    expect(value("${NOPE:-${ALSO:-deep}}")).toBe("deep");
  });

  it("applies :+ and + replacements", () => {
    expect(value("[${SET:+on}][${EMPTY:+on}][${EMPTY+on}][${NOPE+on}]")).toBe("[on][][on][]");
  });

  it("fails with the message of :? and ? when the variable is missing", () => {
    expect(() => value("${NOPE:?set the password}")).toThrow("NOPE: set the password");
    expect(() => value("${EMPTY:?}")).toThrow("The variable EMPTY is required and must not be empty");
    expect(value("${EMPTY?err}")).toBe("");
    expect(() => value("${NOPE?}")).toThrow("The variable NOPE is required");
  });

  it("refuses a malformed expression", () => {
    expect(() => value("${SET")).toThrow(/Missing }/);
    expect(() => value("${SET:x}")).toThrow(/Invalid interpolation/);
    expect(() => value("${1A}")).toThrow(/Invalid variable name/);
  });

  it("interpolates values of a tree, not its keys, and reports errors at their path", () => {
    const r = interpolateTree(
      { services: { web: { image: "nginx:${TAG:-1}", environment: { $SET: "${SET}" }, x: ["${BAD:?no}"] } } },
      vars,
    );
    expect(r.value).toEqual({ services: { web: { image: "nginx:1", environment: { $SET: "value" }, x: ["${BAD:?no}"] } } });
    expect(r.errors).toEqual([{ path: ["services", "web", "x", "0"], message: "BAD: no" }]);
  });
});
