import { describe, expect, it } from "vitest";
import { parseEnvFile } from "./env-file";

// The rules themselves are the server parser's (apps/server/src/secrets/dotenv.test.ts); these
// are the cases the dashboard used to read differently from the server.
describe("parseEnvFile", () => {
  it("reads KEY=value lines, export prefixes, quotes and comments into pairs", () => {
    const text = '# comment\n\nA=1\r\nexport TOKEN="a b # not a comment"\nPLAIN=v # trailing\nMULTI="l1\\nl2"';
    expect(parseEnvFile(text)).toEqual({
      pairs: [
        { key: "A", value: "1" },
        { key: "TOKEN", value: "a b # not a comment" },
        { key: "PLAIN", value: "v" },
        { key: "MULTI", value: "l1\nl2" },
      ],
    });
  });

  it("decodes \\t and \\\\ in double quotes, as the server does (they used to stay escaped here)", () => {
    expect(parseEnvFile('A="x\\ty\\\\z"')).toEqual({ pairs: [{ key: "A", value: "x\ty\\z" }] });
  });

  it("reports an invalid key, a line without =, and a duplicate with their line numbers, and returns no pairs (they used to be kept, skipped, or the last one won)", () => {
    expect(parseEnvFile("OK=1\n1BAD=x\njust text\nOK=2")).toEqual({
      error: [
        'Line 2: "1BAD" is not a valid variable name (use letters, digits, _, . and -, starting with a letter or _)',
        "Line 3: expected NAME=value",
        "Line 4: OK is set twice",
      ].join("\n"),
    });
  });

  it("reports a quote that never closes at the line it opened (it used to be taken as text)", () => {
    expect(parseEnvFile('A=1\nKEY="-----BEGIN\nabc')).toEqual({ error: "Line 2: the double quote is not closed" });
  });

  it("keeps a multi-line quoted value (a PEM key) with its line breaks", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    expect(parseEnvFile(`A=1\nKEY="${pem}" # deploy key\nB='x\ny'\nC=3`)).toEqual({
      pairs: [
        { key: "A", value: "1" },
        { key: "KEY", value: pem },
        { key: "B", value: "x\ny" },
        { key: "C", value: "3" },
      ],
    });
  });
});
