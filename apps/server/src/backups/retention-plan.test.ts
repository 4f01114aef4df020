import { describe, expect, it } from "vitest";
import { planBackupRetention, type RetainedBackup } from "./retention-plan.ts";

const now = new Date("2026-03-10T00:00:00Z");
const at = (id: string, daysAgo: number, status: RetainedBackup["status"] = "succeeded"): RetainedBackup => ({
  id,
  status,
  startedAt: new Date(now.getTime() - daysAgo * 86_400_000),
});
const ids = (list: RetainedBackup[]) => list.map((b) => b.id).sort();

describe("planBackupRetention", () => {
  const backups = [at("a", 0), at("b", 1), at("c", 2, "failed"), at("d", 3), at("e", 10), at("r", 20, "running")];

  it("keeps everything without limits", () => {
    expect(planBackupRetention(backups, { keepLast: null, keepDays: null }, now)).toEqual([]);
  });

  it("keeps the newest N successful backups and drops older failures", () => {
    expect(ids(planBackupRetention(backups, { keepLast: 2, keepDays: null }, now))).toEqual(["c", "d", "e"]);
  });

  it("keeps what is younger than N days", () => {
    expect(ids(planBackupRetention(backups, { keepLast: null, keepDays: 5 }, now))).toEqual(["e"]);
  });

  it("with both limits a backup must satisfy both; a running backup is never deleted", () => {
    expect(ids(planBackupRetention(backups, { keepLast: 3, keepDays: 2.5 }, now))).toEqual(["d", "e"]);
  });
});
