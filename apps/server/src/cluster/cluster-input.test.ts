import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { advertiseAddressFor, swarmAddr } from "./advertise-address.ts";
import { createClusterInput, nodeLabelsInput } from "./cluster-input.ts";

const id = "0b6f2f3e-8c1a-4a52-9d55-0a4ad3b4f0c1";
const paths = (parsed: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  parsed.success ? [] : parsed.error!.issues.map((i) => i.path.join("."));

describe("cluster input", () => {
  it("takes an IP as advertise address, blank as none, and refuses anything else at its field", () => {
    expect(createClusterInput.parse({ serverId: id, advertiseAddress: " 10.0.0.2 " }).advertiseAddress).toBe("10.0.0.2");
    expect(createClusterInput.parse({ serverId: id, advertiseAddress: "" }).advertiseAddress).toBeUndefined();
    expect(paths(createClusterInput.safeParse({ serverId: id, advertiseAddress: "node2.example.com" }))).toEqual(["advertiseAddress"]);
    expect(paths(createClusterInput.safeParse({ serverId: id, advertiseAddress: "127.1" }))).toEqual(["advertiseAddress"]);
  });

  it("puts each bad label at its key or value, and a repeated key at the repeat", () => {
    const parsed = nodeLabelsInput.safeParse({
      serverId: id,
      labels: [
        { key: "zone", value: "east" },
        { key: "bad key", value: "x" },
        { key: "disk", value: "has space" },
        { key: "zone", value: "west" },
        { key: "com.docker.x", value: "" },
      ],
    });
    expect(paths(parsed)).toEqual(["labels.1.key", "labels.2.value", "labels.4.key", "labels.3.key"]);
  });

  it("advertises the host Berth reaches the server at when it is an IP; a name or a socket needs one given", () => {
    expect(advertiseAddressFor({ kind: "tls", host: "10.0.0.3" }, undefined)).toBe("10.0.0.3");
    expect(advertiseAddressFor({ kind: "tls", host: "node3.example.com" }, "10.0.0.3")).toBe("10.0.0.3");
    const field = (fn: () => unknown) => {
      try {
        fn();
        return null;
      } catch (err) {
        return err instanceof DomainError ? Object.keys(err.fieldErrors ?? {}) : null;
      }
    };
    expect(field(() => advertiseAddressFor({ kind: "ssh", host: "node3.example.com" }, undefined))).toEqual(["advertiseAddress"]);
    expect(field(() => advertiseAddressFor({ kind: "socket", host: null }, undefined))).toEqual(["advertiseAddress"]);
    expect(swarmAddr("10.0.0.3")).toBe("10.0.0.3:2377");
    expect(swarmAddr("fd00::3")).toBe("[fd00::3]:2377");
  });
});
