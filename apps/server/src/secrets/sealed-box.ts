import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption at rest for secret values (environment values, git tokens, deploy keys, webhook
 * secrets, notification targets): AES-256-GCM under an instance key derived from BERTH_SECRET
 * with HKDF-SHA256. Every ciphertext names the key that sealed it (an 8-hex key id), so
 * BERTH_SECRET can be rotated: old keys stay readable through BERTH_SECRET_PREVIOUS while
 * `rotateSealedValues` re-seals everything under the current key.
 *
 *   berth:v1:<keyId>:<base64url(iv[12] | tag[16] | ciphertext)>
 *
 * Opening fails closed: an unknown key, a malformed value or a tampered byte throws
 * SealError; it never returns garbage.
 */
export const SEAL_PREFIX = "berth:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = "berth-instance-key";
const HKDF_INFO = "berth sealed values v1";

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}

interface Key {
  id: string;
  bytes: Buffer;
}

function deriveKey(secret: string): Key {
  const bytes = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), HKDF_SALT, HKDF_INFO, 32));
  const id = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
  return { id, bytes };
}

export class SealedBox {
  private readonly current: Key;
  private readonly keys = new Map<string, Key>();

  /** `secret` seals; `previous` secrets only open (key rotation). */
  constructor(secret: string, previous: string[] = []) {
    if (secret.length < 32) throw new SealError("The instance secret must be at least 32 characters");
    this.current = deriveKey(secret);
    for (const key of [this.current, ...previous.map(deriveKey)]) if (!this.keys.has(key.id)) this.keys.set(key.id, key);
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.bytes, iv);
    cipher.setAAD(Buffer.from(SEAL_PREFIX + this.current.id));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${SEAL_PREFIX}${this.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
  }

  open(sealed: string): string {
    const { keyId, payload } = parseSealed(sealed);
    const key = this.keys.get(keyId);
    if (!key) throw new SealError(`No key ${keyId} to open this value (was BERTH_SECRET changed without BERTH_SECRET_PREVIOUS?)`);
    if (payload.length < IV_BYTES + TAG_BYTES) throw new SealError("Sealed value is truncated");
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, payload.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(SEAL_PREFIX + keyId));
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SealError("Sealed value failed authentication (tampered or wrong key)");
    }
  }

  /** True when the value is sealed under an older key (rotation re-seals it). */
  needsReseal(sealed: string): boolean {
    return isSealed(sealed) && parseSealed(sealed).keyId !== this.current.id;
  }

  reseal(sealed: string): string {
    return this.seal(this.open(sealed));
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEAL_PREFIX);
}

function parseSealed(sealed: string): { keyId: string; payload: Buffer } {
  if (!isSealed(sealed)) throw new SealError("Not a sealed value");
  const rest = sealed.slice(SEAL_PREFIX.length);
  const colon = rest.indexOf(":");
  const keyId = rest.slice(0, colon);
  const body = rest.slice(colon + 1);
  if (colon !== 8 || !/^[0-9a-f]{8}$/.test(keyId) || !/^[A-Za-z0-9_-]+$/.test(body)) throw new SealError("Malformed sealed value");
  return { keyId, payload: Buffer.from(body, "base64url") };
}

const boxes = new Map<string, SealedBox>();

/** The instance's box for this configuration (memoised: HKDF runs once per secret). */
export function sealedBoxOf(env: { BERTH_SECRET: string; BERTH_SECRET_PREVIOUS?: string[] | undefined }): SealedBox {
  const previous = env.BERTH_SECRET_PREVIOUS ?? [];
  const cacheKey = [env.BERTH_SECRET, ...previous].join("\n");
  let box = boxes.get(cacheKey);
  if (!box) {
    box = new SealedBox(env.BERTH_SECRET, previous);
    boxes.set(cacheKey, box);
  }
  return box;
}
