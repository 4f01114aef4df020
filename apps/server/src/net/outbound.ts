/**
 * Requests Berth makes on a user's behalf (notification webhooks; git hosts are checked with
 * the same rules). Names are resolved, every address is parsed (ipaddr.js) and must be public
 * unicast unless the instance allows local sources; the connection then goes to the address
 * that was checked (no second lookup a DNS rebinding could answer differently).
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { looksLikeAddress, parseAddress, type Address } from "./ip.ts";

/** Resolves a name to every address it has (node:dns by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A destination refused by the instance's policy (not a network failure). */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefusedError";
  }
}

/** The name has no address now (saved anyway where it is checked again before use). */
export class UnresolvedHostError extends OutboundRefusedError {
  constructor(hostname: string) {
    super(`${hostname} does not resolve`);
    this.name = "UnresolvedHostError";
  }
}

/** Rethrows all but UnresolvedHostError: a name that does not resolve yet may be saved (checked at use). */
export function unlessUnresolved(err: unknown): void {
  if (!(err instanceof UnresolvedHostError)) throw err;
}

/**
 * True for public unicast addresses only: not loopback, private, link-local (cloud metadata
 * 169.254.169.254), unique-local, carrier-grade NAT, unspecified, multicast, reserved,
 * documentation... IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 inside. PURE.
 */
export function isPublicAddress(address: Address): boolean {
  if (address.kind() === "ipv6") {
    const v6 = address as Extract<Address, { kind(): "ipv6" }>;
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address());
  }
  return address.range() === "unicast";
}

/** Why this literal address is refused, or null. PURE. */
export function addressProblem(raw: string): string | null {
  const address = parseAddress(raw);
  if (address === null) return `${raw} is not an IP address`;
  return isPublicAddress(address) ? null : `${raw} is a loopback, private, link-local or otherwise non-public address`;
}

/**
 * The address to connect to for `hostname` (a name or a literal, IPv6 possibly bracketed):
 * every resolved address must be public unless `allowLocal`. Throws OutboundRefusedError.
 */
export async function resolveOutbound(
  hostname: string,
  options: { allowLocal: boolean; resolver?: Resolver },
): Promise<{ address: string; family: 4 | 6 }> {
  const literal = parseAddress(hostname);
  let addresses: { address: string; family: number }[];
  if (literal !== null) {
    addresses = [{ address: literal.toString(), family: literal.kind() === "ipv4" ? 4 : 6 }];
  } else if (looksLikeAddress(hostname)) {
    throw new OutboundRefusedError(`${hostname} is not a valid address`);
  } else {
    addresses = await (options.resolver ?? systemLookup)(hostname).catch(() => []);
    if (addresses.length === 0) throw new UnresolvedHostError(hostname);
  }
  if (!options.allowLocal) {
    for (const a of addresses) {
      const problem = addressProblem(a.address);
      if (problem !== null)
        throw new OutboundRefusedError(
          `${hostname} resolves to a non-public address (refused unless an instance owner allows local sources)`,
        );
    }
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A lookup for node:http that answers only the checked address. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

export interface PostOptions {
  allowLocal: boolean;
  timeoutMs: number;
  resolver?: Resolver;
  headers?: Record<string, string>;
}

/**
 * POST a JSON body to `target`, connected to the checked address (TLS still verifies the
 * name). No redirects are followed. Resolves on 2xx; throws OutboundRefusedError on a refused
 * destination, else an Error with the status or network reason (for the server log only).
 */
export async function postJson(target: string, body: unknown, options: PostOptions): Promise<void> {
  const url = new URL(target);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && options.allowLocal)) throw new OutboundRefusedError("Use an https:// URL");
  if (url.username || url.password) throw new OutboundRefusedError("Credentials in the URL are not allowed");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const { address, family } = await resolveOutbound(host, options);
  const payload = Buffer.from(JSON.stringify(body));
  const request: RequestOptions = {
    method: "POST",
    host,
    port: url.port || (url.protocol === "https:" ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    lookup: pinnedLookup(address, family),
    headers: { "content-type": "application/json", "content-length": String(payload.length), ...options.headers },
    timeout: options.timeoutMs,
    ...(url.protocol === "https:" && parseAddress(host) === null ? { servername: host } : {}),
  };
  await new Promise<void>((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(request, (res) => {
      res.resume();
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`the receiver answered HTTP ${status}`));
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}
