/**
 * IP address parsing with ipaddr.js, strict (PURE): IPv4 only in four-part decimal (no
 * `0x7f.1`, `127.1` or octal forms a string check would miss), IPv6 without a zone id.
 */
import ipaddr from "ipaddr.js";

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A literal IPv4/IPv6 address (IPv6 may be bracketed), or null. */
export function parseAddress(input: string): Address | null {
  const raw = input.trim().replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.IPv4.isValidFourPartDecimal(raw)) return ipaddr.IPv4.parse(raw);
  if (!raw.includes("%") && ipaddr.IPv6.isValid(raw)) return ipaddr.IPv6.parse(raw);
  return null;
}

/** An address or CIDR range in canonical form (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.1`), or null. */
export function parseAddressOrRange(input: string): string | null {
  const [addr = "", bits, extra] = input.trim().split("/");
  if (extra !== undefined) return null;
  const parsed = parseAddress(addr);
  if (parsed === null) return null;
  if (bits === undefined) return parsed.toString();
  const max = parsed.kind() === "ipv4" ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return `${parsed.toString()}/${Number(bits)}`;
}

/**
 * True when a host string is an address in any form a resolver would accept (`0x7f.1`,
 * `127.1`, `017700000001` ... as inet_aton does), not only the canonical ones.
 */
export function looksLikeAddress(host: string): boolean {
  const raw = host.trim().replace(/^\[(.*)\]$/, "$1");
  return parseAddress(raw) !== null || ipaddr.isValid(raw) || /^[\d.]+$/.test(raw) || /^0x[0-9a-f]+$/i.test(raw);
}
