import { mkdirSync, mkdtempSync, rmSync, symlinkSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pinWebBuild } from "./web-build.ts";

const web = mkdtempSync(path.join(tmpdir(), "berth-web-"));
afterAll(() => rmSync(web, { recursive: true, force: true }));

describe("pinWebBuild", () => {
  it("resolves the live link to the build it points at now; a later switch does not move a pinned server", () => {
    mkdirSync(path.join(web, ".next-a"));
    mkdirSync(path.join(web, ".next-b"));
    symlinkSync(".next-a", path.join(web, ".next-live"));
    expect(pinWebBuild(web, ".next-live")).toBe(".next-a");
    // `npm run up` switches the link atomically (rename over it) after building the other slot.
    symlinkSync(".next-b", path.join(web, ".next-live.tmp"));
    renameSync(path.join(web, ".next-live.tmp"), path.join(web, ".next-live"));
    expect(pinWebBuild(web, ".next-live")).toBe(".next-b");
  });

  it("keeps a plain directory or a missing one as named", () => {
    expect(pinWebBuild(web, ".next-a")).toBe(".next-a");
    expect(pinWebBuild(web, ".next-missing")).toBe(".next-missing");
  });
});
