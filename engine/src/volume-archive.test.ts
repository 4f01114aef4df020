import { describe, expect, it } from "vitest";
import { isOneOff, LABEL_SERVICE } from "./labels.ts";
import { buildVolumeHelperSpec } from "./volume-archive.ts";

const ref = { owner: { teamId: "t1", projectId: "p1", serviceId: "s1" }, volume: "files-data" };

describe("buildVolumeHelperSpec", () => {
  it("mounts the project's volume at /volume without copying the image's files, with no network, as a one-off of the service", () => {
    const spec = buildVolumeHelperSpec(ref, "sha256:abc", "h1");
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: "volume", Source: "berth-p1-files-data", Target: "/volume", VolumeOptions: { NoCopy: true } },
    ]);
    expect(spec).toMatchObject({ Image: "sha256:abc", NetworkDisabled: true, User: "0:0", name: "berth-volume-h1" });
    expect(isOneOff(spec.Labels)).toBe(true);
    expect(spec.Labels?.[LABEL_SERVICE]).toBe("s1");
    // Never started for an archive: an entrypoint that cannot run the image's own program.
    expect(spec.Entrypoint).toEqual(["/berth-never-started"]);
  });

  it("runs the given argv as entrypoint and arguments (no shell)", () => {
    const spec = buildVolumeHelperSpec(ref, "img", "h2", ["find", "/volume", "-mindepth", "1"]);
    expect(spec.Entrypoint).toEqual(["find"]);
    expect(spec.Cmd).toEqual(["/volume", "-mindepth", "1"]);
  });
});
