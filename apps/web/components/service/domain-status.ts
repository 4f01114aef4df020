import type { DomainChecks } from "@/lib/api-types";

type Check = DomainChecks["domains"][number];

/** One sentence for the live DNS check. PURE. */
export function dnsSentence(dns: Check["dns"] | undefined, expected: string): string {
  if (!dns) return "Checking DNS…";
  switch (dns.status) {
    case "ok":
      return `DNS points here (${dns.found.join(", ")})`;
    case "local":
      return "Local name: *.localhost always resolves to this machine";
    case "missing":
      return "No A record yet: create the record above";
    case "mismatch":
      return `DNS points to ${dns.found.join(", ")}, expected ${expected}`;
    default:
      return `DNS lookup failed${dns.error ? ` (${dns.error})` : ""}; try again later`;
  }
}

/** One sentence for the certificate the proxy serves. PURE. */
export function certificateSentence(cert: Check["certificate"] | undefined, customNotAfter: string | null | undefined): string {
  const until = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  if (customNotAfter) return `Custom certificate, valid until ${until(customNotAfter)}`;
  if (!cert) return "Checking certificate…";
  if (cert.served) return `HTTPS active: ${cert.served.issuer}, valid until ${until(cert.served.validTo)}`;
  if (cert.status === "proxy down") return "Unknown: the proxy is down";
  return cert.source === "automatic" ? "Not issued yet: the proxy requests one once DNS points here" : "Not issued yet";
}
