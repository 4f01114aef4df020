/**
 * Image reference helpers. PURE. Docker lists an image's RepoDigests for every repository it
 * was pushed to or pulled from, under familiar names (`nginx@sha256:…` for
 * docker.io/library/nginx); only a digest of the reference's own repository identifies it.
 */

/** The repository of a reference, familiar form: tag and digest dropped, docker.io/library/ removed. */
export function familiarRepository(ref: string): string {
  const name = ref.split("@")[0] ?? "";
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  let repo = colon === -1 ? name : name.slice(0, colon);
  repo = repo.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "");
  return repo.replace(/^library\/(?=[^/]+$)/, "");
}

/** The first of `repoDigests` that belongs to the reference's repository, or null. */
export function repoDigestFor(ref: string, repoDigests: string[] | null | undefined): string | null {
  const repo = familiarRepository(ref);
  return (repoDigests ?? []).find((d) => familiarRepository(d) === repo) ?? null;
}
