import { describe, expect, it } from "vitest";
import { settleAll } from "./settle-all.ts";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, message: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

describe("settleAll", () => {
  it("gives every value in order", async () => {
    const [a, b] = await settleAll([after(5, 1), after(1, "two")]);
    expect([a, b]).toEqual([1, "two"]);
  });

  it("throws the first rejection in the order given, not the first to happen", async () => {
    await expect(settleAll([failAfter(20, "first"), failAfter(1, "second")])).rejects.toThrow("first");
  });

  it("throws only once every sibling has settled", async () => {
    let siblingDone = false;
    const sibling = after(30, null).then(() => {
      siblingDone = true;
    });
    await expect(settleAll([failAfter(1, "fast"), sibling])).rejects.toThrow("fast");
    expect(siblingDone).toBe(true);
  });
});
