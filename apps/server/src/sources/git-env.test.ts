import { describe, expect, it } from "vitest";
import { generateDeployKey } from "./deploy-key.ts";
import { buildGitEnv } from "./git.ts";
import { explainGitFailure } from "./clone.ts";

describe("buildGitEnv", () => {
  it("passes a token only as env-borne git config (never argv), with prompts and system config off", () => {
    const env = buildGitEnv({ home: "/tmp/h", protocols: "https", auth: { token: "s3cret-token" } });
    expect(env).toMatchObject({
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_ALLOW_PROTOCOL: "https",
      HOME: "/tmp/h",
      GIT_CONFIG_COUNT: "2",
    });
    expect(env.GIT_CONFIG_KEY_1).toBe("http.extraHeader");
    expect(env.GIT_CONFIG_VALUE_1).toBe(`Authorization: Basic ${Buffer.from("x-access-token:s3cret-token").toString("base64")}`);
  });
  it("points ssh at the deploy key file and a private known_hosts", () => {
    const env = buildGitEnv({ home: "/tmp/h", protocols: "ssh", auth: {}, keyFile: "/tmp/h/deploy_key" });
    expect(env.GIT_CONFIG_KEY_1).toBe("core.sshCommand");
    expect(env.GIT_CONFIG_VALUE_1).toMatch(/^ssh -i \/tmp\/h\/deploy_key -o IdentitiesOnly=yes .*UserKnownHostsFile=\/tmp\/h\/known_hosts/);
    expect(env.GIT_CONFIG_VALUE_1).toContain("StrictHostKeyChecking=accept-new");
  });
  it("accepts only the pinned host key once one is recorded", () => {
    const env = buildGitEnv({
      home: "/tmp/h",
      protocols: "ssh",
      auth: { knownHosts: "[127.0.0.1]:2222 ssh-ed25519 AAAA" },
      keyFile: "/tmp/h/deploy_key",
    });
    expect(env.GIT_CONFIG_VALUE_1).toContain("StrictHostKeyChecking=yes");
    expect(JSON.stringify(env)).not.toContain("AAAA");
  });
});

describe("generateDeployKey", () => {
  it("makes an OpenSSH ed25519 pair whose public half matches the private key", () => {
    const key = generateDeployKey("berth-deploy-key-app");
    expect(key.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/=]+ berth-deploy-key-app$/);
    expect(key.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    const blob = Buffer.from(key.privateKey.split("\n").slice(1, -2).join(""), "base64");
    expect(blob.subarray(0, 15).toString()).toBe("openssh-key-v1\0");
    const pub = Buffer.from(key.publicKey.split(" ")[1]!, "base64").subarray(-32);
    expect(blob.includes(pub)).toBe(true);
  });
});

describe("explainGitFailure", () => {
  it("names the usual causes", () => {
    expect(
      explainGitFailure(
        ["warning: Could not find remote branch dev to clone.", "fatal: Remote branch dev not found in upstream origin"],
        "dev",
      ),
    ).toBe('The branch "dev" does not exist in the repository');
    expect(explainGitFailure(["fatal: Authentication failed for 'https://x/'"], "main")).toMatch(/refused the credentials/);
    expect(explainGitFailure(["fatal: unable to access 'https://x/': The requested URL returned error: 403"], "main")).toMatch(
      /refused the credentials/,
    );
    // A port with 401 or 403 in it is not an HTTP status.
    expect(explainGitFailure(["fatal: repository 'http://127.0.0.1:34017/missing.git/' not found"], "main")).toBe(
      "The repository was not found at this URL",
    );
    expect(
      explainGitFailure(["fatal: unable to access 'http://127.0.0.1:40312/x.git/': The requested URL returned error: 404"], "main"),
    ).toBe("The repository was not found at this URL");
    expect(explainGitFailure(["fatal: unable to access 'https://x/': Could not resolve host: x"], "main")).toBe(
      "The repository could not be reached",
    );
    expect(explainGitFailure(["Host key verification failed.", "fatal: Could not read from remote repository."], "main")).toMatch(
      /not the one pinned/,
    );
  });
});
