import { describe, expect, it } from "vitest";
import { arrivedOverHttps, edgeToken, EDGE_TOKEN_HEADER, isFromEdge } from "./edge-request.ts";

const secret = "s".repeat(40);

describe("edge requests", () => {
  it("believes X-Forwarded-Proto only with the proxy's token", () => {
    const token = edgeToken(secret);
    expect(arrivedOverHttps({ [EDGE_TOKEN_HEADER]: token, "x-forwarded-proto": "https" }, secret)).toBe(true);
    expect(arrivedOverHttps({ [EDGE_TOKEN_HEADER]: token, "x-forwarded-proto": "http" }, secret)).toBe(false);
    // A client talking to the control plane directly cannot claim HTTPS.
    expect(arrivedOverHttps({ "x-forwarded-proto": "https" }, secret)).toBe(false);
    expect(arrivedOverHttps({ [EDGE_TOKEN_HEADER]: "guess", "x-forwarded-proto": "https" }, secret)).toBe(false);
    expect(isFromEdge({ [EDGE_TOKEN_HEADER]: edgeToken("another secret of enough length .....") }, secret)).toBe(false);
  });

  it("derives a stable token from the secret, not the secret itself", () => {
    expect(edgeToken(secret)).toBe(edgeToken(secret));
    expect(edgeToken(secret)).not.toContain(secret);
    expect(edgeToken(secret)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
