import { describe, expect, it } from "vitest";
import { CoalescedRun } from "./coalesced-run.ts";

/** A task that records each run and waits until the test lets it finish. */
function gatedTask() {
  const runs: number[] = [];
  const gates: (() => void)[] = [];
  let active = 0;
  let overlapped = false;
  const task = async () => {
    active += 1;
    overlapped ||= active > 1;
    runs.push(runs.length + 1);
    await new Promise<void>((resolve) => gates.push(resolve));
    active -= 1;
  };
  const release = async () => {
    while (gates.length === 0) await Promise.resolve();
    gates.shift()!();
    // Let the loop see the end of the run before the test looks.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { task, runs, release, overlapped: () => overlapped };
}

describe("CoalescedRun", () => {
  it("runs again right after the run in progress when asked during it, and never two at once", async () => {
    const t = gatedTask();
    const run = new CoalescedRun(t.task);
    const first = run.request();
    await Promise.resolve();
    // Asked twice while the first run is in progress: one more run, not two.
    void run.request();
    void run.request();
    await t.release();
    expect(t.runs).toEqual([1, 2]);
    await t.release();
    await first;
    expect(t.runs).toEqual([1, 2]);
    expect(t.overlapped()).toBe(false);
  });

  it("runs once when asked while idle, and again when asked after that run ended", async () => {
    const t = gatedTask();
    const run = new CoalescedRun(t.task);
    const first = run.request();
    await t.release();
    await first;
    expect(t.runs).toEqual([1]);
    const second = run.request();
    await t.release();
    await second;
    expect(t.runs).toEqual([1, 2]);
  });

  it("settled() waits for the run in progress and the one it owes", async () => {
    const t = gatedTask();
    const run = new CoalescedRun(t.task);
    void run.request();
    await Promise.resolve();
    void run.request();
    let settled = false;
    void run.settled().then(() => (settled = true));
    await t.release();
    expect(settled).toBe(false);
    await t.release();
    await run.settled();
    expect(settled).toBe(true);
  });

  it("a failing run does not stop the next request", async () => {
    let calls = 0;
    const run = new CoalescedRun(async () => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
    });
    await expect(run.request()).rejects.toThrow("boom");
    await run.request();
    expect(calls).toBe(2);
  });
});
