import type { RealtimeSocket, TerminalOpenAck } from "./events.ts";
import type { SessionUser } from "../auth/session.ts";
import { clientIpOfRequest } from "../auth/client-ip.ts";
import type { Deps } from "../deps.ts";
import { SocketTerminals, terminalOpenInput } from "./terminals.ts";

type OpenAck = (reply: TerminalOpenAck) => void;

/** Wires the `terminal:*` events of one socket to its terminals; returns them for re-authorization and cleanup. */
export function attachTerminals({ socket, deps, user }: { socket: RealtimeSocket; deps: Deps; user: SessionUser }): SocketTerminals {
  const actor = { userId: user.id, instanceRole: user.instanceRole, email: user.email, ip: clientIpOfRequest(socket.request, deps.env) };
  const terminals = new SocketTerminals(socket, deps, actor);

  socket.on("terminal:open", async (payload: unknown, ack?: OpenAck) => {
    const reply: OpenAck = typeof ack === "function" ? ack : () => undefined;
    const parsed = terminalOpenInput.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: "serviceId must be a service id, taskId a task id, cols and rows 1-1000" });
    try {
      reply({ ok: true, terminalId: await terminals.start(parsed.data) });
    } catch (err) {
      deps.log.debug({ serviceId: parsed.data.serviceId, err: String(err) }, "terminal refused");
      reply({ ok: false, error: err instanceof Error ? err.message : "The terminal could not be opened" });
    }
  });
  socket.on("terminal:input", (payload: unknown) => terminals.input(payload));
  socket.on("terminal:resize", (payload: unknown) => terminals.resize(payload));
  socket.on("terminal:close", (payload: unknown) => terminals.closeByUser(payload));
  return terminals;
}
