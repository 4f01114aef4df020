import { describe, expect, it } from "vitest";
import { sectionTracker } from "./restore-stream.ts";

describe("sectionTracker", () => {
  const dump = [
    "-- header",
    "-- Table structure for table `authors`",
    "CREATE TABLE authors;",
    "INSERT 1;",
    "-- Table structure for table `notes`",
    "CREATE TABLE notes;",
    "INSERT 2;",
    "",
  ].join("\n");

  it("names the table holding a line, across chunk boundaries", () => {
    const parts = sectionTracker(/^-- Table structure for table `(.+)`$/);
    for (let i = 0; i < dump.length; i += 7) parts.push(Buffer.from(dump.slice(i, i + 7)));
    expect(parts.at(1)).toBeNull();
    expect(parts.at(4)).toBe("authors");
    expect(parts.at(7)).toBe("notes");
    // Unknown line: the last table sent.
    expect(parts.at()).toBe("notes");
  });
});
