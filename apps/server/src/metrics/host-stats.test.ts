import { describe, expect, it } from "vitest";
import { parseMeminfo, parseNetDev, parseProcStat } from "./host-stats.ts";

describe("host /proc parsers", () => {
  it("/proc/stat: busy and total jiffies, CPU count", () => {
    const text = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\ncpu1 50 0 25 400 25 0 0 0 0 0\nintr 1\n";
    expect(parseProcStat(text)).toEqual({ busy: 150, total: 1000, cpus: 2 });
  });

  it("/proc/meminfo: used = total - available", () => {
    expect(parseMeminfo("MemTotal:       1000 kB\nMemFree:   100 kB\nMemAvailable:    400 kB\n")).toEqual({
      totalBytes: 1024000,
      usedBytes: 614400,
    });
  });

  it("/proc/net/dev: sums every interface but loopback", () => {
    const text = [
      "Inter-|   Receive                                                |  Transmit",
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
      "    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0",
      "  eth0: 100 1 0 0 0 0 0 0 200 1 0 0 0 0 0 0",
      "docker0: 10 1 0 0 0 0 0 0 20 1 0 0 0 0 0 0",
    ].join("\n");
    expect(parseNetDev(text)).toEqual({ rx: 110, tx: 220 });
  });
});
