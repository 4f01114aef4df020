import { describe, expect, it } from "vitest";
import { checkGitUrl, isSafeRepoPath, isSshGitUrl, isValidBranch, isValidCommitSha } from "./git-url.ts";

const remote = { allowLocalSources: false, controlPlaneHosts: ["berth.example.com"] };
const local = { allowLocalSources: true };

describe("checkGitUrl", () => {
  it("accepts https, ssh, git and scp-like URLs to other hosts", () => {
    expect(checkGitUrl("https://github.com/acme/app.git", remote)).toMatchObject({ transport: "https", host: "github.com" });
    expect(checkGitUrl("ssh://git@git.example.org:2222/acme/app.git", remote)).toMatchObject({ transport: "ssh" });
    expect(checkGitUrl("git://git.example.org/app.git", remote)).toMatchObject({ transport: "git" });
    expect(checkGitUrl("git@github.com:acme/app.git", remote)).toMatchObject({ transport: "ssh", host: "github.com" });
  });

  it("isSshGitUrl says ssh exactly when checkGitUrl parses the ssh transport", () => {
    for (const url of [
      "ssh://git@git.example.org:2222/acme/app.git",
      "git@github.com:acme/app.git",
      " SSH://h/r.git ",
      "https://github.com/acme/app.git",
      "git://git.example.org/app.git",
      "git@github.com://x",
      "not a url",
    ]) {
      const parsed = checkGitUrl(url, remote);
      expect(isSshGitUrl(url), url).toBe("transport" in parsed && parsed.transport === "ssh");
    }
  });

  it("refuses other schemes, passwords in URLs, option-like values", () => {
    expect(checkGitUrl("ftp://example.com/app.git", remote)).toEqual({ error: "The ftp:// scheme is not allowed: use https, ssh or git" });
    expect(checkGitUrl("ext::sh -c touch% /tmp/pwned", remote)).toHaveProperty("error");
    expect(checkGitUrl("https://user:pw@github.com/a/b.git", remote)).toHaveProperty("error", expect.stringMatching(/password/));
    expect(checkGitUrl("--upload-pack=touch /tmp/x", remote)).toHaveProperty("error");
    expect(checkGitUrl("", remote)).toEqual({ error: "Enter a repository URL" });
  });

  it("refuses file://, plain http, loopback and the control plane's own host unless local sources are enabled", () => {
    for (const url of [
      "file:///srv/repo.git",
      "http://example.com/a.git",
      "https://127.0.0.1/a.git",
      "https://localhost:3000/a.git",
      "ssh://[::1]/a.git",
      "https://berth.example.com/x.git",
      "git@127.0.0.5:a/b.git",
      "https://[::ffff:127.0.0.1]/a.git",
      "https://10.0.0.1/a.git",
      "https://169.254.169.254/a.git",
      "https://[::]/a.git",
      "https://172.17.0.1/a.git",
      "git@[fd00::1]:a/b.git",
      "https://0x7f.1/a.git",
    ]) {
      expect(checkGitUrl(url, remote), url).toHaveProperty("error");
    }
    expect(checkGitUrl("file:///srv/repo.git", local)).toMatchObject({ transport: "file" });
    expect(checkGitUrl("http://127.0.0.1:8123/app.git", local)).toMatchObject({ transport: "http", host: "127.0.0.1" });
  });
});

describe("branch, commit and path rules", () => {
  it("accepts ordinary branch names and refuses option-like or malformed ones", () => {
    for (const b of ["main", "release/1.2", "feature-x_y"]) expect(isValidBranch(b), b).toBe(true);
    for (const b of ["-x", "a..b", "/a", "a/", "a.lock", "has space", "a//b", ""]) expect(isValidBranch(b), b).toBe(false);
  });
  it("accepts hex commits of 7 to 40 characters", () => {
    expect(isValidCommitSha("abc1234")).toBe(true);
    expect(isValidCommitSha("abc12")).toBe(false);
    expect(isValidCommitSha("xyz1234")).toBe(false);
  });
  it("keeps repository paths inside the repository", () => {
    expect(isSafeRepoPath("docker/Dockerfile")).toBe(true);
    expect(isSafeRepoPath(".")).toBe(true);
    for (const p of ["../x", "/etc/passwd", "a/../../b", "a\\b"]) expect(isSafeRepoPath(p), p).toBe(false);
  });
});
