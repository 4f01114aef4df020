import { describe, expect, it } from "vitest";
import { DockerEngine, EngineError } from "../src/index.ts";
import { rejectionOf, TEST_RUN_LABEL, uniqueId } from "./support/hello-image.ts";

const engine = new DockerEngine();

describe("buildImage", () => {
  it("fails with BUILD_FAILED and the build output when a Dockerfile step fails", async () => {
    const tag = `berth-test/${uniqueId("broken-")}:1`;
    const streamed: string[] = [];
    const err = await rejectionOf(() =>
      engine.buildImage({
        tag,
        files: [{ name: "Dockerfile", data: "FROM scratch\nCOPY missing-file /x\n" }],
        labels: { [TEST_RUN_LABEL]: "build-failure" },
        timeoutMs: 30_000,
        onLine: (line) => streamed.push(line),
      }),
    );
    expect(streamed.some((l) => l.includes("COPY missing-file"))).toBe(true);
    expect(streamed.at(-1)).toMatch(/^ERROR: .*missing-file/);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe("BUILD_FAILED");
    expect(err.message).toMatch(/missing-file/);
    expect((err.details?.logs as string[]).some((l) => l.includes("COPY missing-file"))).toBe(true);
    await expect(engine.ensureImage(tag, { timeoutMs: 5_000 })).rejects.toMatchObject({ code: "IMAGE_UNAVAILABLE" });
  });

  it("rejects an invalid tag before calling the engine", async () => {
    expect((await rejectionOf(() => engine.buildImage({ tag: "Bad Tag", files: [] }))).code).toBe("INVALID");
  });
});
