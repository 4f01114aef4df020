import type { SealedBox } from "./sealed-box.ts";

/** Open a nullable sealed column (git token, deploy key, webhook secret). Fails closed. */
export function openSealed(box: SealedBox, sealed: string | null): string | null {
  return sealed === null ? null : box.open(sealed);
}

export function sealNullable(box: SealedBox, plaintext: string | null): string | null {
  return plaintext === null ? null : box.seal(plaintext);
}
