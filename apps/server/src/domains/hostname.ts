/** Hostname, path prefix and default-domain rules (PURE). */
import { parseAddressOrRange } from "../net/ip.ts";

/** A basic-auth user name: no placeholder braces, spaces or colons can reach the proxy. */
export const BASIC_AUTH_USER = /^[A-Za-z0-9._@+-]{1,64}$/;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A normalised hostname (lowercase, no trailing dot), or an error message for the field. */
export function parseHostname(input: string): { ok: true; hostname: string } | { ok: false; error: string } {
  const hostname = input.trim().toLowerCase().replace(/\.$/, "");
  if (hostname === "") return { ok: false, error: "Enter a hostname, e.g. app.example.com" };
  if (hostname.length > 253) return { ok: false, error: "A hostname has at most 253 characters" };
  if (/^[\d.]+$/.test(hostname) || hostname.includes(":")) return { ok: false, error: "Enter a hostname, not an IP address" };
  if (hostname.includes("*")) return { ok: false, error: "Wildcard hostnames are not supported; add each hostname" };
  const labels = hostname.split(".");
  if (labels.length < 2) return { ok: false, error: "Enter a fully qualified hostname, e.g. app.example.com" };
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) {
    return { ok: false, error: `"${bad}" is not a valid DNS label (letters, digits and inner hyphens, at most 63 characters)` };
  }
  return { ok: true, hostname };
}

/**
 * A hostname typed on its own (the dashboard domain): a URL, a path or a port gets a message that
 * says what to leave out, before the hostname rules apply. PURE.
 */
export function parseBareHostname(input: string): { ok: true; hostname: string } | { ok: false; error: string } {
  const value = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { ok: false, error: "Enter only the hostname, without http:// or https://" };
  if (/[/?#]/.test(value)) return { ok: false, error: "Enter only the hostname, without a path" };
  if (/^[^:]+:\d*$/.test(value)) return { ok: false, error: "Enter only the hostname, without a port" };
  return parseHostname(value);
}

/** "" or "/segment[/segment...]" without a trailing slash. */
export function parsePathPrefix(input: string): { ok: true; pathPrefix: string } | { ok: false; error: string } {
  const value = input.trim().replace(/\/+$/, "");
  if (value === "") return { ok: true, pathPrefix: "" };
  if (!value.startsWith("/")) return { ok: false, error: "A path prefix starts with /, e.g. /api" };
  if (value.length > 100) return { ok: false, error: "A path prefix has at most 100 characters" };
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value) || value.split("/").some((s) => s === "." || s === "..")) {
    return { ok: false, error: "A path prefix may contain letters, digits, . _ ~ - and / between segments" };
  }
  return { ok: true, pathPrefix: value };
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The wildcard-DNS name of an IPv4 address (sslip.io, as Dokploy and Coolify use): 203.0.113.7 -> 203-0-113-7.sslip.io. */
export function wildcardIpDomain(ip: string): string {
  return `${ip.replace(/\./g, "-")}.sslip.io`;
}

/** A name under a public IP's wildcard-DNS domain: it resolves for every viewer, no DNS record to create. */
export function isWildcardIpName(hostname: string): boolean {
  return /(^|\.)\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}\.sslip\.io$/.test(hostname);
}

/**
 * Where generated domains live: the instance's base domain when set; otherwise the public IP's
 * wildcard-DNS domain (a name any remote viewer resolves to this host); otherwise localhost
 * (a loopback or unknown address: only this host can use it). PURE.
 */
export function defaultBaseDomain(options: { baseDomain: string; publicIp: string }): string {
  const base = options.baseDomain
    .trim()
    .toLowerCase()
    .replace(/^\.|\.$/g, "");
  if (base) return base;
  const ip = options.publicIp.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && !ip.startsWith("127.") && ip !== "0.0.0.0") return wildcardIpDomain(ip);
  return "localhost";
}

/** `<service>-<project>.<base>` (base: see defaultBaseDomain); `suffix` tells apart a taken name. */
export function defaultHostname(options: {
  serviceName: string;
  projectName: string;
  baseDomain: string;
  publicIp?: string;
  suffix?: string;
}): string {
  const base = defaultBaseDomain({ baseDomain: options.baseDomain, publicIp: options.publicIp ?? "" });
  const parts = [slug(options.serviceName), slug(options.projectName), options.suffix ? slug(options.suffix) : ""].filter(Boolean);
  const label = parts.join("-").slice(0, 63).replace(/-$/, "") || "service";
  return `${label}.${base}`;
}

/** A preview's `pr-<number>-<service>.<base>` (same base as defaultHostname); `suffix` tells apart a taken name. */
export function previewHostname(options: {
  prNumber: number;
  serviceName: string;
  baseDomain: string;
  publicIp?: string;
  suffix?: string;
}): string {
  const base = defaultBaseDomain({ baseDomain: options.baseDomain, publicIp: options.publicIp ?? "" });
  const parts = [`pr-${options.prNumber}`, slug(options.serviceName), options.suffix ? slug(options.suffix) : ""].filter(Boolean);
  return `${parts.join("-").slice(0, 63).replace(/-$/, "")}.${base}`;
}

/** Entries of an IP allow-list: IPv4/IPv6 addresses or CIDR ranges, parsed (ipaddr.js) and canonical. */
export function parseIpAllowList(entries: string[]): { ok: true; list: string[] } | { ok: false; error: string } {
  const list: string[] = [];
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    const canonical = parseAddressOrRange(raw);
    if (canonical === null) return { ok: false, error: `"${raw}" is not an IP address or CIDR range` };
    list.push(canonical);
  }
  return { ok: true, list: [...new Set(list)] };
}
