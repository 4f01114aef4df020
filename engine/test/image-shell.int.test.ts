import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineApi } from "../src/engine-api.ts";
import { imageHasShell, SHELL_CHECK_LABEL } from "../src/image-shell.ts";
import { DockerEngine } from "../src/index.ts";
import { buildHelloImage, buildShellLessImage, HELLO_IMAGE, uniqueId } from "./support/hello-image.ts";

const engine = new DockerEngine();
const api = new EngineApi({});
const docker = new Docker();
const SHELL_LESS = `berth-test/${uniqueId("no-shell-")}:1`;

beforeAll(async () => {
  await buildHelloImage(engine);
  await buildShellLessImage(engine, SHELL_LESS);
});

afterAll(async () => {
  await docker
    .getImage(SHELL_LESS)
    .remove({ force: true })
    .catch(() => undefined);
});

describe("imageHasShell", () => {
  it("finds /bin/sh in an image that has one and none in a shell-less image, and leaves no container behind", async () => {
    expect(await imageHasShell(api, HELLO_IMAGE)).toBe(true);
    expect(await imageHasShell(api, SHELL_LESS)).toBe(false);
    const left = await docker.listContainers({ all: true, filters: { label: [`${SHELL_CHECK_LABEL}=${SHELL_LESS}`] } });
    expect(left).toEqual([]);
  });

  it("fails on an image the engine does not have", async () => {
    await expect(imageHasShell(api, `berth-test/${uniqueId("absent-")}:1`)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
