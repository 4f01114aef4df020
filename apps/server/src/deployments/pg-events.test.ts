import { describe, expect, it } from "vitest";
import { parseNotice } from "./pg-events.ts";

describe("parseNotice", () => {
  it("accepts line ranges and status changes", () => {
    expect(parseNotice('{"o":"a","kind":"lines","d":"x","from":3,"to":9}')).toEqual({ o: "a", kind: "lines", d: "x", from: 3, to: 9 });
    expect(parseNotice('{"o":"a","kind":"status","d":"x","s":"svc","t":"team","st":"failed"}')).toMatchObject({
      kind: "status",
      t: "team",
      st: "failed",
    });
  });

  it("refuses anything else", () => {
    for (const payload of [
      "",
      "not json",
      "null",
      "[]",
      '{"o":"a","kind":"lines","d":"x","from":"3","to":9}',
      '{"kind":"status","d":"x","s":"s","t":"t","st":"failed"}',
      // Without the team its viewers' rooms are unknown.
      '{"o":"a","kind":"status","d":"x","s":"s","st":"failed"}',
      '{"o":"a","kind":"other","d":"x"}',
    ]) {
      expect(parseNotice(payload)).toBeNull();
    }
  });
});
