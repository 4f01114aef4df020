import { describe, expect, it } from "vitest";
import { parseEnvFile } from "./env-file";

describe("parseEnvFile", () => {
  it("reads KEY=value lines, skipping comments and blank lines", () => {
    expect(parseEnvFile("# comment\n\nA=1\nB = two words \n")).toEqual([
      { key: "A", value: "1" },
      { key: "B", value: "two words" },
    ]);
  });

  it("handles export prefixes, quotes, inline comments and CRLF", () => {
    const text = 'export TOKEN="a b # not a comment"\r\nSINGLE=\'x\'\r\nPLAIN=v # trailing\r\nMULTI="l1\\nl2"';
    expect(parseEnvFile(text)).toEqual([
      { key: "TOKEN", value: "a b # not a comment" },
      { key: "SINGLE", value: "x" },
      { key: "PLAIN", value: "v" },
      { key: "MULTI", value: "l1\nl2" },
    ]);
  });

  it("keeps values with = and empty values; a later duplicate wins", () => {
    expect(parseEnvFile("URL=postgres://u:p@h/db?a=b\nEMPTY=\nURL=second")).toEqual([
      { key: "URL", value: "second" },
      { key: "EMPTY", value: "" },
    ]);
  });

  it("keeps keys as written for the server to judge, and ignores lines without =", () => {
    expect(parseEnvFile("1BAD=x\njust text")).toEqual([{ key: "1BAD", value: "x" }]);
  });

  it("keeps a multi-line quoted value (a PEM key) with its line breaks", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    expect(parseEnvFile(`A=1\nKEY="${pem}" # deploy key\nB='x\ny'\nC=3`)).toEqual([
      { key: "A", value: "1" },
      { key: "KEY", value: pem },
      { key: "B", value: "x\ny" },
      { key: "C", value: "3" },
    ]);
  });
});
