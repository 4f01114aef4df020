import { randomUUID } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import type { RealtimeSocket } from "./events.ts";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { domainErrorOf } from "../domain-error-of.ts";
import type { Actor } from "../teams/access.ts";
import { isContainerRunning, mayKeepTerminal, openTerminal, recordTerminalClose, type OpenedTerminal } from "../terminal/open-terminal.ts";

export const MAX_TERMINALS_PER_SOCKET = 3;
const size = { cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) };
/** The size may come later with `terminal:resize` (80x24 until then). */
/** `taskId`: a cluster service's task to open the shell in (else its first running one). */
export const terminalOpenInput = z.object({
  serviceId: z.string().uuid(),
  taskId: z
    .string()
    .regex(/^[a-z0-9]{1,64}$/)
    .optional(),
  cols: size.cols.default(80),
  rows: size.rows.default(24),
});
const terminalInput = z.object({ terminalId: z.string().uuid(), data: z.string().max(64 * 1024) });
const terminalResize = z.object({ terminalId: z.string().uuid(), ...size });
const terminalClose = z.object({ terminalId: z.string().uuid() });

interface Open extends OpenedTerminal {
  openedAt: number;
  closing: boolean;
}

/**
 * The web terminals of one socket: `terminal:open` starts a shell (member+, audited),
 * `terminal:input` / `terminal:resize` drive it, `terminal:output` carries what it prints and
 * `terminal:exit` tells why it closed (the shell exited, the container stopped, access ended).
 * Keystrokes are never logged or audited.
 */
export class SocketTerminals {
  private readonly open = new Map<string, Open>();
  /** Opens under way (counted against the limit, so parallel opens cannot pass it). */
  private starting = 0;

  constructor(
    private readonly socket: RealtimeSocket,
    private readonly deps: Pick<Deps, "db" | "engine" | "log" | "box">,
    private readonly actor: Actor,
  ) {}

  /** Authorize and start a shell; resolves with its id. Throws DomainError when refused. */
  async start(input: z.infer<typeof terminalOpenInput>): Promise<string> {
    if (this.open.size + this.starting >= MAX_TERMINALS_PER_SOCKET)
      throw new Error(`At most ${MAX_TERMINALS_PER_SOCKET} terminals per window: close one first`);
    this.starting += 1;
    const opened = await openTerminal(this.deps, this.actor, input).finally(() => (this.starting -= 1));
    const terminalId = randomUUID();
    if (this.socket.disconnected) {
      // The window went away while the shell started: nobody will ever close it.
      opened.session.close();
      await recordTerminalClose(this.deps, this.actor, opened, "The connection closed", 0);
      throw new Error("The connection closed");
    }
    this.open.set(terminalId, { ...opened, openedAt: Date.now(), closing: false });
    const decoder = new StringDecoder("utf8");
    opened.session.stdout.on("data", (chunk: Buffer) => {
      const data = decoder.write(chunk);
      if (data) this.socket.emit("terminal:output", { terminalId, data });
    });
    opened.session.stdout.once("end", () => void this.ended(terminalId));
    return terminalId;
  }

  input(payload: unknown): void {
    const parsed = terminalInput.safeParse(payload);
    if (parsed.success) this.open.get(parsed.data.terminalId)?.session.write(parsed.data.data);
  }

  resize(payload: unknown): void {
    const parsed = terminalResize.safeParse(payload);
    if (!parsed.success) return;
    const { terminalId, cols, rows } = parsed.data;
    this.open
      .get(terminalId)
      ?.session.resize({ cols, rows })
      .catch((err: unknown) => this.deps.log.debug({ err: String(err) }, "terminal resize failed"));
  }

  /** The user closed the terminal. */
  closeByUser(payload: unknown): void {
    const parsed = terminalClose.safeParse(payload);
    if (parsed.success) void this.close(parsed.data.terminalId, "Closed by the user");
  }

  /** The shell's output ended: it exited, or its container stopped or went away. */
  private async ended(terminalId: string): Promise<void> {
    const t = this.open.get(terminalId);
    if (!t || t.closing) return;
    const isRunning = () => isContainerRunning(t, t.containerId);
    // A stopping container's processes die a moment before its state says so: look twice.
    const running = (await isRunning()) && (await new Promise((r) => setTimeout(r, 500)), await isRunning());
    await this.close(terminalId, running ? "The shell exited" : "The container stopped");
  }

  async close(terminalId: string, reason: string): Promise<void> {
    const t = this.open.get(terminalId);
    if (!t || t.closing) return;
    t.closing = true;
    this.open.delete(terminalId);
    t.session.close();
    this.socket.emit("terminal:exit", { terminalId, reason });
    const durationS = Math.round((Date.now() - t.openedAt) / 1000);
    await recordTerminalClose(this.deps, this.actor, t, reason, durationS).catch((err: unknown) =>
      this.deps.log.warn({ err: String(err), terminalId }, "terminal close not audited"),
    );
  }

  /** Re-check every open terminal's access (run with the socket's periodic re-authorization). */
  async revalidate(): Promise<void> {
    for (const [terminalId, t] of [...this.open]) {
      const denied = await mayKeepTerminal(this.deps, this.actor, t.serviceId).then(
        () => null,
        (err: unknown) => {
          const domain = domainErrorOf(err);
          if (domain?.code === "NOT_FOUND" || domain?.code === "FORBIDDEN") return domain.message;
          throw err;
        },
      );
      if (denied !== null) await this.close(terminalId, `Access ended: ${denied}`);
    }
  }

  closeAll(reason: string): void {
    for (const terminalId of [...this.open.keys()]) void this.close(terminalId, reason);
  }
}
