/**
 * A one-off run's stored output: appended to `one_off_run.output` every ~250 ms (viewers poll
 * it), at most MAX_OUTPUT bytes; past that the run is marked `outputTruncated` and the rest dropped.
 */
import type { Db } from "@berth/db";
import type { Log } from "../log.ts";

export const MAX_OUTPUT = 256 * 1024;
const FLUSH_MS = 250;

export class RunOutput {
  private pending = "";
  private size = 0;
  private truncated = false;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Log,
    private readonly runId: string,
  ) {}

  line(text: string): void {
    if (this.truncated) return;
    const entry = `${text}\n`;
    const bytes = Buffer.byteLength(entry);
    if (this.size + bytes > MAX_OUTPUT) {
      this.truncated = true;
    } else {
      this.size += bytes;
      this.pending += entry;
    }
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const text = this.pending;
    const truncated = this.truncated;
    this.pending = "";
    this.chain = this.chain.then(async () => {
      if (text === "" && !truncated) return;
      try {
        await this.db
          .$executeRaw`UPDATE one_off_run SET output = output || ${text}, "outputTruncated" = ${truncated} WHERE id = ${this.runId}`;
      } catch (err) {
        this.log.error({ runId: this.runId, err: String(err) }, "could not store one-off output");
      }
    });
    return this.chain;
  }
}
