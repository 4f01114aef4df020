/**
 * One probe of a release's health gate against a running container: HTTP or TCP (by
 * Berth, to the container's address, else its published port on 127.0.0.1; on a remote engine
 * only its published port at the engine's host) or a command exec'd inside the container (argv;
 * exit 0 passes).
 */
import type { ContainerInspectInfo } from "dockerode";
import type { EngineApi } from "./engine-api.ts";
import { engineMessage, isEngineError } from "./errors.ts";
import { execCommand } from "./exec.ts";
import type { HealthGate } from "./health-gate.ts";
import { publishedHostPort } from "./managed.ts";
import { probeHttp, probeTcp, probeTcpDirect, type ProbeResult } from "./probe.ts";

/** The container's address on its first network, when it has one. */
function containerAddress(info: ContainerInspectInfo): string | null {
  const networks = Object.values(info.NetworkSettings?.Networks ?? {});
  return networks.find((n) => n.IPAddress)?.IPAddress || null;
}

/**
 * Where the gate reaches a container: its bridge address (tried first) and the host its ports
 * are published on. A remote engine's container addresses are that host's: never probed from
 * here, where the same address may be one of this machine's own containers.
 */
export interface GateHost {
  remoteHost: string | null;
}

function publishHost(via: GateHost): string {
  return via.remoteHost ?? "127.0.0.1";
}

function directAddress(info: ContainerInspectInfo, via: GateHost): string | null {
  return via.remoteHost === null ? containerAddress(info) : null;
}

/** TCP: direct to the container when its address is reachable (exact), else via the published port. */
export async function probeTcpGate(info: ContainerInspectInfo, port: number, via: GateHost = { remoteHost: null }): Promise<ProbeResult> {
  const address = directAddress(info, via);
  if (address) {
    const direct = await probeTcpDirect(address, port);
    if (direct === "open") return { outcome: "ok", detail: `TCP ${address}:${port}: open` };
    if (direct === "refused") return { outcome: "not-listening", detail: `TCP ${address}:${port}: refused` };
  }
  const hostPort = publishedHostPort(info, port);
  if (hostPort === null) return { outcome: "not-listening", detail: `TCP ${port}: container address unreachable and port not published` };
  const host = publishHost(via);
  const open = await probeTcp(hostPort, { host });
  return { outcome: open ? "ok" : "not-listening", detail: `TCP ${host}:${hostPort}: ${open ? "open" : "closed"}` };
}

export async function probeHttpGate(
  info: ContainerInspectInfo,
  gate: Extract<HealthGate, { kind: "http" }>,
  via: GateHost = { remoteHost: null },
): Promise<ProbeResult> {
  const address = directAddress(info, via);
  const target = { path: gate.path, expect: gate.expect, timeoutMs: gate.timeoutMs };
  if (address) {
    const direct = await probeHttp({ ...target, host: address, port: gate.port });
    if (direct.outcome !== "unreachable") return direct;
  }
  const hostPort = publishedHostPort(info, gate.port);
  if (hostPort === null)
    return { outcome: "not-listening", detail: `HTTP ${gate.port}: container address unreachable and port not published` };
  const viaHost = await probeHttp({ ...target, host: publishHost(via), port: hostPort });
  return viaHost.outcome === "unreachable" ? { ...viaHost, outcome: "not-listening" } : viaHost;
}

const OUTPUT_TAIL_CHARS = 300;

/** The probe's verdict from an exec result (PURE): exit 0 passes, anything else fails. */
export function commandVerdict(argv: string[], exitCode: number | null, output: string): ProbeResult {
  const shown = argv.join(" ").slice(0, 200);
  const tail = output.trim().slice(-OUTPUT_TAIL_CHARS);
  const suffix = tail === "" ? "" : `: ${tail}`;
  if (exitCode === 0) return { outcome: "ok", detail: `command ${shown}: exit 0${suffix}` };
  return { outcome: "failed", detail: `command ${shown}: ${exitCode === null ? "no exit code" : `exit ${exitCode}`}${suffix}` };
}

/** Exec the command in the container within timeoutMs. */
export async function probeCommandGate(
  api: EngineApi,
  containerId: string,
  gate: Extract<HealthGate, { kind: "command" }>,
): Promise<ProbeResult> {
  try {
    const result = await execCommand(api, containerId, { cmd: gate.command, timeoutMs: gate.timeoutMs });
    return commandVerdict(gate.command, result.exitCode, `${result.output}${result.stderr}`);
  } catch (err) {
    const shown = gate.command.join(" ").slice(0, 200);
    if (isEngineError(err, "TIMEOUT")) return { outcome: "failed", detail: `command ${shown}: did not finish within ${gate.timeoutMs} ms` };
    // The container stopped under us (the gate's next look says why) or the engine hiccupped.
    return { outcome: "not-listening", detail: `command ${shown}: could not run: ${engineMessage(err)}` };
  }
}
