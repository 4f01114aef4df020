import { describe, expect, it } from "vitest";
import { buildStepMounts, commandOf, isStepOf } from "./build-disk.ts";
import { formatGb, runTextOf } from "./build-disk-budget.ts";

const root = "/var/lib/docker/buildkit/executor";

describe("buildStepMounts", () => {
  it("finds the overlay rootfs of each running step with its upper directory, nothing else", () => {
    const mountinfo = [
      "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
      `901 22 0:77 / ${root}/abc123/rootfs rw,relatime - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X:/var/lib/docker/overlay2/l/Y,upperdir=/var/lib/docker/overlay2/u1/diff,workdir=/var/lib/docker/overlay2/u1/work`,
      `902 901 0:78 / ${root}/abc123/rootfs/proc rw - proc proc rw`,
      `903 22 0:79 / /var/lib/docker/overlay2/c9/merged rw - overlay overlay rw,lowerdir=/a,upperdir=/var/lib/docker/overlay2/c9/diff,workdir=/w`,
    ].join("\n");
    expect(buildStepMounts(mountinfo, root)).toEqual([{ id: "abc123", upperDir: "/var/lib/docker/overlay2/u1/diff" }]);
  });
});

describe("isStepOf", () => {
  it("matches a shell-form step by its command, flags of the RUN line ignored", () => {
    expect(isStepOf(["/bin/sh", "-c", "dd if=/dev/zero of=/blob bs=1M count=10"], "dd if=/dev/zero of=/blob bs=1M count=10")).toBe(true);
    expect(isStepOf(["/bin/sh", "-c", "make all"], "--mount=type=cache,target=/root/.cache make all")).toBe(true);
    expect(isStepOf(["/bin/sh", "-c", "make"], "make all")).toBe(false);
    expect(isStepOf(["/bin/sh", "-c", "all"], "make all")).toBe(false);
  });
  it("matches an exec-form step by its exact arguments", () => {
    expect(isStepOf(["make", "all"], '["make", "all"]')).toBe(true);
    expect(isStepOf(["make", "all"], '["make"]')).toBe(false);
  });
});

describe("commandOf", () => {
  it("is the command as the engine describes the step", () => {
    expect(commandOf("--mount=type=cache,target=/c npm ci")).toBe("npm ci");
    expect(commandOf('["/bin/busybox", "--install", "-s", "/bin"]')).toBe("/bin/busybox --install -s /bin");
  });
});

describe("runTextOf / formatGb", () => {
  it("reads the RUN text of a decoded vertex line", () => {
    expect(runTextOf("#5 [2/3] RUN make all")).toBe("make all");
    expect(runTextOf("#6 [build 1/2] RUN --mount=type=cache,target=/c npm ci")).toBe("--mount=type=cache,target=/c npm ci");
    expect(runTextOf("#7 [3/3] COPY . .")).toBeNull();
  });
  it("says budgets in GB", () => {
    expect(formatGb(20 * 1024 ** 3)).toBe("20 GB");
    expect(formatGb(0.1 * 1024 ** 3)).toBe("0.1 GB");
  });
});
