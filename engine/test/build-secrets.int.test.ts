import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_MASK } from "../src/build-secrets.ts";
import { HELLO_IMAGE, rejectionOf, TEST_RUN_LABEL, uniqueId, useTestTeam } from "./support/hello-image.ts";

const { engine, docker, teamId } = useTestTeam();
const SENTINEL = `berth-sentinel-${randomBytes(12).toString("hex")}`;
const runId = uniqueId("bk");
const tags: string[] = [];

function dockerfile(extra = ""): string {
  return [
    `FROM ${HELLO_IMAGE}`,
    `RUN --mount=type=secret,id=tok cat /run/secrets/tok && echo && wc -c < /run/secrets/tok > /secret-length && echo ${runId}`,
    `RUN echo step-two-${runId} > /step-two`,
    extra,
  ].join("\n");
}

async function build(options: { extraDockerfile?: string; secrets?: Record<string, string>; builder?: "legacy" } = {}) {
  const tag = `berth-test/${runId}:${tags.length + 1}`;
  tags.push(tag);
  const lines: string[] = [];
  const result = await engine.buildImage({
    tag,
    files: [{ name: "Dockerfile", data: dockerfile(options.extraDockerfile) }],
    secrets: options.secrets ?? { tok: SENTINEL },
    labels: { [TEST_RUN_LABEL]: teamId },
    timeoutMs: 60_000,
    onLine: (line) => lines.push(line),
    ...(options.builder === undefined ? {} : { builder: options.builder }),
  });
  return { tag, lines, result };
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Runs `cat <path>` in a throwaway container of the image. */
async function catFile(image: string, path: string): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["/bin/cat"],
    Cmd: [path],
    Labels: { [TEST_RUN_LABEL]: teamId },
  });
  try {
    await container.start();
    await container.wait();
    const output = await container.logs({ stdout: true, stderr: false });
    return output.subarray(8).toString("utf8").trim();
  } finally {
    await container.remove({ force: true });
  }
}

afterAll(async () => {
  for (const tag of tags)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
});

describe("BuildKit builds with secrets", () => {
  it("mounts the secret for RUN but keeps it out of the log, the history and every layer", async () => {
    const { tag, lines, result } = await build();
    expect(result.builder).toBe("buildkit");
    expect(lines[0]).toBe("Builder: BuildKit with 1 build secret(s)");
    expect(lines.some((l) => l.includes("RUN --mount=type=secret,id=tok"))).toBe(true);
    // The RUN printed the secret: the log shows the mask instead.
    expect(lines.some((l) => l.endsWith(SECRET_MASK))).toBe(true);
    expect(lines.join("\n")).not.toContain(SENTINEL);
    expect(result.logs.join("\n")).not.toContain(SENTINEL);

    // It was really there at build time: its length was written into the image.
    expect(await catFile(tag, "/secret-length")).toBe(String(SENTINEL.length));
    const history = await docker.getImage(tag).history();
    expect(JSON.stringify(history)).toContain("cat /run/secrets/tok");
    expect(JSON.stringify(history)).not.toContain(SENTINEL);
    expect(JSON.stringify(await docker.getImage(tag).inspect())).not.toContain(SENTINEL);
    const exported = await readStream(await docker.getImage(tag).get());
    expect(exported.length).toBeGreaterThan(100_000);
    expect(exported.includes(Buffer.from(String(SENTINEL.length)))).toBe(true);
    expect(exported.includes(Buffer.from(SENTINEL))).toBe(false);
  });

  it("reuses the layer cache on a second build and reports the cached steps", async () => {
    const first = await build({ extraDockerfile: `RUN echo third-${runId} > /third` });
    const second = await build({ extraDockerfile: `RUN echo third-${runId} > /third` });
    expect(first.lines.filter((l) => / CACHED$/.test(l)).length).toBeLessThan(second.lines.filter((l) => / CACHED$/.test(l)).length);
    expect(second.lines.filter((l) => / CACHED$/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(second.lines.some((l) => / DONE \d/.test(l) && !l.includes("exporting"))).toBe(true);
  });

  it("fails the build when a required secret is not given (the session answers NotFound)", async () => {
    const err = await rejectionOf(() =>
      build({ extraDockerfile: "RUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent", secrets: { tok: SENTINEL } }),
    );
    expect(err.code).toBe("BUILD_FAILED");
    expect(err.message).toMatch(/absent/);
    expect(err.message).not.toContain(SENTINEL);
  });

  it("falls back to the legacy builder and says so, without secret mounts", async () => {
    const tag = `berth-test/${runId}:legacy`;
    tags.push(tag);
    const lines: string[] = [];
    const result = await engine.buildImage({
      tag,
      files: [{ name: "Dockerfile", data: `FROM ${HELLO_IMAGE}\nRUN echo legacy-${runId}\n` }],
      builder: "legacy",
      secrets: { tok: SENTINEL },
      onLine: (l) => lines.push(l),
      timeoutMs: 60_000,
    });
    expect(result.builder).toBe("legacy");
    expect(lines[0]).toMatch(/^Builder: legacy .*1 build secret\(s\) NOT available/);
    expect(lines.some((l) => l.startsWith("Step 2/2 : RUN echo legacy-"))).toBe(true);
  });

  it("refuses a secret id that could not name a file under /run/secrets", async () => {
    const err = await rejectionOf(() => engine.buildImage({ tag: `berth-test/${runId}:bad`, files: [], secrets: { "../etc": "x" } }));
    expect(err.code).toBe("INVALID");
  });
});
