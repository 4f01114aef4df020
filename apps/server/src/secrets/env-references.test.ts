import { describe, expect, it } from "vitest";
import { referencesIn, resolveReferences, type ReferenceLookup } from "./env-references.ts";

const vars: Record<string, Record<string, { value: string; secret: boolean }>> = {
  db: {
    POSTGRES_PASSWORD: { value: "s3cret", secret: true },
    POSTGRES_USER: { value: "app", secret: false },
    URL: { value: "postgresql://${{db.POSTGRES_USER}}:${{db.POSTGRES_PASSWORD}}@db:5432/app", secret: false },
  },
  a: { X: { value: "${{b.Y}}", secret: false } },
  b: { Y: { value: "y-${{a.X}}", secret: false } },
};
const lookup: ReferenceLookup = (service, name) => {
  const s = vars[service];
  if (!s) return { missing: `the project has no service named ${service}` };
  return s[name] ?? { missing: `${service} has no variable ${name}` };
};

describe("referencesIn", () => {
  it("finds ${{service.NAME}} anywhere in a value, spaces inside the braces allowed", () => {
    expect(referencesIn("postgres://u:${{db.POSTGRES_PASSWORD}}@db/${{ db.NAME }}")).toEqual({
      references: [
        { raw: "${{db.POSTGRES_PASSWORD}}", service: "db", name: "POSTGRES_PASSWORD" },
        { raw: "${{ db.NAME }}", service: "db", name: "NAME" },
      ],
    });
    expect(referencesIn("plain $HOME ${HOME} {{x}}")).toEqual({ references: [] });
  });

  it("explains a malformed or unclosed reference", () => {
    expect(referencesIn("${{db}}")).toEqual({ error: expect.stringContaining("${{db}} is not a reference") });
    expect(referencesIn("${{Db.X}}")).toEqual({ error: expect.stringContaining("is not a reference") });
    expect(referencesIn("${{db.1X}}")).toEqual({ error: expect.stringContaining("is not a reference") });
    expect(referencesIn("x ${{db.X")).toEqual({ error: expect.stringContaining("not closed") });
  });
});

describe("resolveReferences", () => {
  it("replaces references recursively and reports the secrets taken in", () => {
    expect(resolveReferences("DSN=${{db.URL}}", lookup)).toEqual({
      value: "DSN=postgresql://app:s3cret@db:5432/app",
      secrets: ["s3cret"],
      problems: [],
    });
  });

  it("leaves what does not resolve as written, saying why", () => {
    const r = resolveReferences("${{db.NOPE}} ${{cache.URL}}", lookup);
    expect(r.value).toBe("${{db.NOPE}} ${{cache.URL}}");
    expect(r.problems).toEqual(["${{db.NOPE}}: db has no variable NOPE", "${{cache.URL}}: the project has no service named cache"]);
  });

  it("stops at a cycle and names it", () => {
    const r = resolveReferences("${{a.X}}", lookup, ["c.START"]);
    expect(r.problems).toEqual(["c.START -> a.X -> b.Y -> a.X is a cycle"]);
  });
});
