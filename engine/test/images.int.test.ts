import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine } from "../src/index.ts";
import {
  buildHelloImage,
  cleanupTeam,
  HELLO_IMAGE,
  httpGet,
  rawDocker,
  rejectionOf,
  releaseFactory,
  TEST_RUN_LABEL,
  uniqueId,
} from "./support/hello-image.ts";
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry, type LocalRegistry } from "./support/registry.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
const localTags: string[] = [];
let registry: LocalRegistry;

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

async function removeTag(tag: string): Promise<void> {
  await docker
    .getImage(tag)
    .remove({ noprune: false })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 404) throw e;
    });
}

beforeAll(async () => {
  await buildHelloImage(engine);
  registry = await startRegistry();
});

afterAll(async () => {
  try {
    await cleanupTeam(docker, teamId);
    for (const tag of localTags) await removeTag(tag);
  } finally {
    await registry.stop();
  }
});

/** Distinct small images (one label each), so retention has several image ids to choose from. */
async function buildVariant(n: number): Promise<string> {
  const tag = `berth-test/engine-variant-${teamId}:${n}`;
  localTags.push(tag);
  await engine.buildImage({
    tag,
    files: [{ name: "Dockerfile", data: Buffer.from(`FROM ${HELLO_IMAGE}\nLABEL variant=${n}\n`) }],
    labels: { [TEST_RUN_LABEL]: teamId },
  });
  return tag;
}

describe("private registry pulls", () => {
  it("pulls with credentials; without or with wrong ones the pull fails as IMAGE_UNAVAILABLE", async () => {
    const ref = `${registry.host}/berth-test/private-${teamId}:1`;
    localTags.push(ref);
    const auth = { username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: registry.host };
    await docker.getImage(HELLO_IMAGE).tag({ repo: `${registry.host}/berth-test/private-${teamId}`, tag: "1" });
    const pushed = await readStream(await docker.getImage(ref).push({ authconfig: auth }));
    expect(pushed).not.toMatch(/"error"/);
    await removeTag(ref);

    const anonymous = await rejectionOf(() => engine.ensureImage(ref));
    expect(anonymous.code).toBe("IMAGE_UNAVAILABLE");
    expect(anonymous.message).toMatch(/no basic auth credentials|unauthorized|authentication required/i);
    const wrong = await rejectionOf(() => engine.ensureImage(ref, { registryAuth: { ...auth, password: "wrong" } }));
    expect(wrong.code).toBe("IMAGE_UNAVAILABLE");
    expect(wrong.message).not.toContain("wrong");

    await engine.ensureImage(ref, { registryAuth: auth });
    expect((await docker.getImage(ref).inspect()).RepoTags).toContain(ref);

    await removeTag(ref);
    const spec = newRelease({ image: ref });
    const release = await engine.runRelease(spec, { registryAuth: auth });
    expect((await httpGet(release.hostPort)).status).toBe(200);
  });

  it("rejects credentials for another registry as INVALID before any pull", async () => {
    const err = await rejectionOf(() =>
      engine.ensureImage(`${registry.host}/x/y:1`, { registryAuth: { username: "u", password: "p", serveraddress: "other.example:5000" } }),
    );
    expect(err.code).toBe("INVALID");
  });
});

describe("images that move (pull: always)", () => {
  it("pulls a moved tag again and records its id and digest", async () => {
    const auth = { username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: registry.host };
    const repo = `${registry.host}/berth-test/moving-${teamId}`;
    const ref = `${repo}:latest`;
    localTags.push(ref);
    const push = async (source: string) => {
      await docker.getImage(source).tag({ repo, tag: "latest" });
      expect(await readStream(await docker.getImage(ref).push({ authconfig: auth }))).not.toMatch(/"error"/);
    };
    await push(HELLO_IMAGE);
    const spec = newRelease({ image: ref });
    const first = await engine.runRelease(spec, { registryAuth: auth, pull: "always" });
    expect(first.imageId).toBe((await docker.getImage(HELLO_IMAGE).inspect()).Id);
    expect(first.repoDigest).toMatch(new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`));
    expect(first.warnings).toBeUndefined();

    // The tag moves in the registry; the local copy still has the old image.
    const variant = await buildVariant(99);
    await push(variant);
    await docker.getImage(HELLO_IMAGE).tag({ repo, tag: "latest" });
    const second = await engine.runRelease({ ...spec, deploymentId: uniqueId("d") }, { registryAuth: auth, pull: "always" });
    // Digest references keep an image after its tags are gone: remove them with the tags.
    localTags.push(...[first.repoDigest, second.repoDigest].filter((d): d is string => d !== null));
    expect(second.imageId).toBe((await docker.getImage(variant).inspect()).Id);
    expect(second.repoDigest).not.toBe(first.repoDigest);
    // "missing" keeps whatever is local.
    await docker.getImage(HELLO_IMAGE).tag({ repo, tag: "latest" });
    const third = await engine.runRelease({ ...spec, deploymentId: uniqueId("d") }, { registryAuth: auth });
    expect(third.imageId).toBe(first.imageId);
  });

  it("releases the local copy with a warning when the pull fails, and is IMAGE_UNAVAILABLE without one (fast)", async () => {
    const unreachable = `127.0.0.1:9/berth-test/offline-${teamId}:1`; // port 9 (discard): nothing listens
    localTags.push(unreachable);
    await docker.getImage(HELLO_IMAGE).tag({ repo: unreachable.replace(/:1$/, ""), tag: "1" });
    const started = Date.now();
    const release = await engine.runRelease(newRelease({ image: unreachable }), { pull: "always" });
    const localId = (await docker.getImage(HELLO_IMAGE).inspect()).Id;
    expect(release.imageId).toBe(localId);
    expect(release.repoDigest).toBeNull();
    expect(release.warnings).toEqual([
      expect.stringMatching(new RegExp(`^could not pull ${unreachable} \\(.+\\); released the local copy ${localId}$`)),
    ]);
    console.log(`pull always of an unreachable registry fell back to the local copy; release took ${Date.now() - started} ms`);

    // A local-only tag (Docker Hub is not reachable here) behaves the same.
    const hubStarted = Date.now();
    const local = await engine.runRelease(newRelease(), { pull: "always" });
    expect(local.warnings?.[0]).toMatch(/^could not pull berth-test\/engine-hello:latest \(.+\); released the local copy sha256:/);
    console.log(`pull always of a Docker Hub tag: release with local copy in ${Date.now() - hubStarted} ms`);

    const missing = newRelease({ image: `127.0.0.1:9/berth-test/never-${teamId}:1` });
    const failStarted = Date.now();
    const err = await rejectionOf(() => engine.runRelease(missing, { pull: "always" }));
    const failMs = Date.now() - failStarted;
    expect(err.code).toBe("IMAGE_UNAVAILABLE");
    expect(err.message).toMatch(/connection refused|dial tcp/i);
    // On the refusal, not at the end of the pull's deadline (DEFAULT_PULL_TIMEOUT_MS, 60 s).
    expect(failMs).toBeLessThan(30_000);
    console.log(`pull always without a local copy failed (IMAGE_UNAVAILABLE) in ${failMs} ms`);
  });
});

describe("release image tags and retention", () => {
  it("tags every release; retention keeps the tags of the deployments named and the running image's last one", async () => {
    const base = newRelease();
    const serviceId = base.owner.serviceId;
    const repo = `berth-release/${serviceId}`;
    const variants: string[] = [];
    for (let n = 0; n < 4; n++) variants.push(await buildVariant(n));
    const releases = [];
    // Each release replaced and its predecessor retired, as the control plane does.
    const release = async (image: string) => {
      const next = await engine.replaceRelease({ ...base, image, deploymentId: uniqueId("d") });
      await engine.retireOthers(serviceId, next.deploymentId, 1);
      return next;
    };
    for (const image of variants) releases.push(await release(image));
    const tagsBefore = (await docker.listImages({ filters: { reference: [repo] } })).flatMap((i) => i.RepoTags ?? []);
    expect(tagsBefore.sort()).toEqual(releases.map((r) => `${repo}:${r.deploymentId}`).sort());
    expect(releases.every((r) => r.releaseImage === `${repo}:${r.deploymentId}`)).toBe(true);

    // Roll back to the oldest image (a new deployment, so a second tag on that image); keep the
    // rollback's tag and the third release's: the oldest release's tag goes although its image
    // stays (the rollback holds it), the others go with their images.
    const rollback = await release(variants[0] as string);
    const volumesBefore = (await docker.listVolumes()).Volumes?.length ?? 0;
    const tagOf = (r: { deploymentId: string }) => `${repo}:${r.deploymentId}`;
    const { removed, failures } = await engine.pruneImages(serviceId, [rollback.deploymentId, releases[2]!.deploymentId]);
    expect(failures).toEqual([]);
    const left = async () => (await docker.listImages({ filters: { reference: [repo] } })).flatMap((i) => i.RepoTags ?? []).sort();
    expect(await left()).toEqual([tagOf(releases[2]!), tagOf(rollback)].sort());
    expect(removed.sort()).toEqual([releases[0], releases[1], releases[3]].map((r) => tagOf(r!)).sort());
    // The running release's image keeps its last tag even when no kept deployment names it.
    expect(await engine.pruneImages(serviceId, [releases[2]!.deploymentId])).toEqual({ removed: [], failures: [] });
    expect(await left()).toEqual([tagOf(releases[2]!), tagOf(rollback)].sort());
    // The user's own tags and all volumes are untouched.
    for (const v of variants) expect((await docker.getImage(v).inspect()).RepoTags).toContain(v);
    expect((await docker.listVolumes()).Volumes?.length ?? 0).toBeGreaterThanOrEqual(volumesBefore);
  });
});
