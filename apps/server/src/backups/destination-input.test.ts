import { describe, expect, it } from "vitest";
import { directoryProblem } from "./backup-dir.ts";
import { destinationInput } from "./destination-input.ts";

const issues = (v: Record<string, unknown>) =>
  Object.fromEntries((destinationInput.safeParse(v).error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("destinationInput", () => {
  it("asks for what each kind needs, at its field", () => {
    expect(issues({ kind: "directory" })).toEqual({ directory: "Give a directory" });
    expect(issues({ kind: "s3", endpoint: "ftp://x", bucket: "A_B" })).toEqual({
      accessKeyId: "Give an access key ID",
      endpoint: "The endpoint is an http(s) URL like https://s3.eu-west-1.amazonaws.com",
      bucket: "A bucket name has 3-63 lower-case letters, digits, dots or hyphens",
    });
    expect(issues({ kind: "s3", endpoint: "https://s3.example.com", bucket: "db-backups", accessKeyId: "AK", prefix: "no-slash" })).toEqual(
      { prefix: expect.stringContaining("ending with /") },
    );
    expect(
      issues({ kind: "s3", endpoint: "https://s3.example.com", bucket: "db-backups", accessKeyId: "AK", prefix: "berth/prod/" }),
    ).toEqual({});
  });
});

describe("directoryProblem", () => {
  const root = "/var/lib/berth/backups";
  it("accepts the root and paths under it only", () => {
    expect(directoryProblem(root, root)).toBeNull();
    expect(directoryProblem(root, `${root}/shop`)).toBeNull();
    expect(directoryProblem(root, "/var/lib/berth/backups-other")).toBe(`Backups may only be written under ${root}`);
    expect(directoryProblem(root, "/etc")).toBe(`Backups may only be written under ${root}`);
    expect(directoryProblem(root, `${root}/../caddy`)).toBe("Give the path without . or .. segments");
    expect(directoryProblem(root, "shop")).toBe(`Give an absolute path under ${root}`);
  });
});
