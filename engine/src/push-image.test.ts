import { describe, expect, it } from "vitest";
import { EngineApi } from "./engine-api.ts";
import { pushImage } from "./push-image.ts";

// No engine listens here: every case below must be refused before any request.
const api = new EngineApi({ socketPath: "/nonexistent/berth-test.sock", timeoutMs: 500 });
const auth = { serveraddress: "127.0.0.1:5000", username: "berth", password: "pw" };

describe("pushImage input", () => {
  it.each([
    ["a bad source", "Not An Image", { repository: "127.0.0.1:5000/berth/app", tag: "t1" }, /invalid image reference/],
    ["a repository with a tag", "app:1", { repository: "127.0.0.1:5000/berth/app:t1", tag: "t1" }, /invalid repository/],
    ["a repository with a digest", "app:1", { repository: "127.0.0.1:5000/berth/app@sha256:00", tag: "t1" }, /invalid repository/],
    ["a bad tag", "app:1", { repository: "127.0.0.1:5000/berth/app", tag: "-x" }, /invalid tag/],
    ["credentials for another registry", "app:1", { repository: "127.0.0.1:6000/berth/app", tag: "t1" }, /they are for 127.0.0.1:5000/],
  ])("refuses %s before any engine call", async (_what, source, target, message) => {
    const err = await pushImage(api, source, target, auth).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).toBe("INVALID");
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain("pw");
  });
});
