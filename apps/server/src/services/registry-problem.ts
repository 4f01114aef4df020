/**
 * Why a registry could not be asked, in words: the engine's pull error is Go's network error
 * (`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on
 * 10.0.0.53:53: no such host`), which names the resolver's address and not the problem. PURE.
 */
export function registryProblem(reason: string): string {
  const lookup = /lookup ([^\s:]+)(?: on [^\s]+)?: no such host/.exec(reason);
  if (lookup) return `${lookup[1]} could not be found (this host's DNS has no answer for it; is the host offline?)`;
  const refused = /dial tcp ([^\s]+): connect: connection refused/.exec(reason);
  if (refused) return `${refused[1]} refused the connection`;
  const registry = /Get "https?:\/\/([^/"]+)\//.exec(reason)?.[1] ?? "the registry";
  if (/connection reset by peer|EOF$/.test(reason)) return `${registry} closed the connection (is it a registry?)`;
  if (/no route to host|network is unreachable/i.test(reason)) return "the registry cannot be reached from this host (no route)";
  if (/i\/o timeout|Client\.Timeout|deadline exceeded|did not finish within|timed? ?out/i.test(reason))
    return "the registry did not answer in time";
  if (/x509|certificate/i.test(reason)) return "the registry's TLS certificate is not trusted by this host";
  return reason;
}
