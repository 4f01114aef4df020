import { describe, expect, it } from "vitest";
import { checkNotificationUrl, createChannelInput } from "./channel-input.ts";
import { type DeployOutcome, payloadFor, summaryOf } from "./send.ts";

const outcome: DeployOutcome = {
  status: "failed",
  project: "shop",
  service: "web",
  serviceId: "s-1",
  deploymentId: "d-1",
  commitSha: "0123456789abcdef0123456789abcdef01234567",
  error: "exited with code 1\nmore lines",
  url: "https://berth.example.com/services/s-1",
};

describe("notification payloads", () => {
  it("summarises the outcome on one line", () => {
    expect(summaryOf(outcome)).toBe("Deploy of shop/web (0123456789ab) failed: exited with code 1");
    expect(summaryOf({ ...outcome, status: "succeeded" })).toBe("Deploy of shop/web (0123456789ab) succeeded.");
    expect(summaryOf({ ...outcome, status: "timed_out", error: null, commitSha: null })).toBe("Deploy of shop/web timed out.");
  });

  it("speaks each receiver's format: Slack text, Discord content, generic JSON event", () => {
    expect(payloadFor("slack", outcome)).toEqual({ text: `${summaryOf(outcome)} ${outcome.url}` });
    expect(payloadFor("discord", outcome)).toEqual({ content: `${summaryOf(outcome)} ${outcome.url}` });
    expect(payloadFor("webhook", outcome)).toMatchObject({ event: "deployment.failed", deploymentId: "d-1", status: "failed" });
  });

  it("says a test message is one, naming the project, with its own generic event", () => {
    const test: DeployOutcome = {
      ...outcome,
      status: "test",
      service: "",
      serviceId: "",
      deploymentId: "",
      commitSha: null,
      error: null,
      url: "https://berth.example.com/projects/p-1",
    };
    expect(summaryOf(test)).toBe("Test notification from Berth for project shop: this channel receives its deploy outcomes.");
    expect(payloadFor("slack", test)).toEqual({ text: `${summaryOf(test)} https://berth.example.com/projects/p-1` });
    expect(payloadFor("webhook", test)).toMatchObject({ event: "notification.test", status: "test" });
  });
});

describe("notification targets", () => {
  it("allows public https only, unless local sources are allowed", () => {
    expect(checkNotificationUrl("https://hooks.slack.com/services/T/B/x", false)).toBeNull();
    expect(checkNotificationUrl("http://hooks.example.com/x", false)).toMatch(/https/);
    for (const local of [
      "https://127.0.0.1/x",
      "https://localhost/x",
      "https://10.1.2.3/x",
      "https://192.168.1.1/x",
      "https://[::1]/x",
      "https://169.254.169.254/latest",
      "https://[::ffff:127.0.0.1]/x",
      "https://[::]/x",
      "https://0.0.0.0/x",
      "https://172.17.0.1/x",
      "https://[fd00:ec2::254]/x",
      "https://100.100.100.200/x",
      "https://0x7f.1/x",
      "https://[fe80::1]/x",
    ]) {
      expect(checkNotificationUrl(local, false)).toMatch(/Local and private/);
      expect(checkNotificationUrl(local, true)).toBeNull();
    }
    expect(checkNotificationUrl("https://user:pw@example.com/x", true)).toMatch(/Credentials/);
  });

  it("validates the input per kind, at the field", () => {
    const bad = createChannelInput.safeParse({ kind: "email", name: "ops", target: "not-an-address" });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join("."))).toEqual(["target"]);
    const url = createChannelInput.safeParse({ kind: "slack", name: "ops", target: "ftp://x" });
    expect(url.success ? [] : url.error.issues.map((i) => i.path.join("."))).toEqual(["target"]);
    const none = createChannelInput.safeParse({
      kind: "slack",
      name: "ops",
      target: "https://x.example",
      onSuccess: false,
      onFailure: false,
    });
    expect(none.success ? [] : none.error.issues.map((i) => i.path.join("."))).toEqual(["onFailure"]);
  });
});
