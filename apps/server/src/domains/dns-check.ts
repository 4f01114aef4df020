import { Resolver } from "node:dns/promises";

/** The part of node:dns's resolver the DNS check uses (injectable: tests never reach the network). */
export interface DnsResolver {
  resolve4(hostname: string): Promise<string[]>;
}

export type DnsStatus = "ok" | "local" | "missing" | "mismatch" | "error";

export interface DnsRecord {
  type: "A" | "CNAME";
  name: string;
  value: string;
}

export function systemResolver(): DnsResolver {
  return new Resolver({ timeout: 2000, tries: 1 });
}

/** The record the user must create for a hostname: an A record to the public IP. PURE. */
export function expectedRecord(hostname: string, publicIp: string): DnsRecord {
  return { type: "A", name: hostname, value: publicIp || "<this server's public IP>" };
}

/** The public IP to point DNS at: BERTH_PROXY_PUBLIC_IP, else BERTH_PUBLIC_URL's host when it is an IPv4 address. PURE. */
export function publicIpOf(env: { BERTH_PROXY_PUBLIC_IP: string; publicUrl: string }): string {
  if (env.BERTH_PROXY_PUBLIC_IP) return env.BERTH_PROXY_PUBLIC_IP;
  const host = new URL(env.publicUrl).hostname;
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : "";
}

/** Look the hostname up now. *.localhost never leaves the machine (it always means loopback). */
export async function checkDns(
  resolver: DnsResolver,
  hostname: string,
  expectedIp: string,
): Promise<{ status: DnsStatus; found: string[]; error?: string }> {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return { status: "local", found: ["127.0.0.1"] };
  try {
    const found = await resolver.resolve4(hostname);
    if (found.length === 0) return { status: "missing", found };
    return { status: expectedIp === "" || found.includes(expectedIp) ? "ok" : "mismatch", found };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOTFOUND" || code === "ENODATA") return { status: "missing", found: [] };
    return { status: "error", found: [], error: code ?? String(err) };
  }
}
