/**
 * A minimal POSIX ustar writer for build contexts: regular files only, built in memory.
 * PURE. (Keeps the engine free of an extra tar dependency; contexts here are small.)
 */

export interface TarEntry {
  /** Path inside the archive, relative, `/`-separated, at most 100 bytes. */
  name: string;
  data: Buffer | string;
  /** Unix permission bits (default 0o644). */
  mode?: number;
}

const BLOCK = 512;

function writeString(header: Buffer, value: string, offset: number, length: number): void {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`tar field too long: ${JSON.stringify(value)}`);
  bytes.copy(header, offset);
}

/** Octal number, zero-padded to length-1 digits, NUL-terminated. */
function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`tar number too large: ${value}`);
  writeString(header, `${digits.padStart(length - 1, "0")}\0`, offset, length);
}

function validName(name: string): boolean {
  return name !== "" && !name.startsWith("/") && !name.split("/").includes("..") && !name.includes("\0");
}

function headerFor(name: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  writeString(header, name, 0, 100);
  writeOctal(header, mode & 0o7777, 100, 8);
  writeOctal(header, 0, 108, 8); // uid
  writeOctal(header, 0, 116, 8); // gid
  writeOctal(header, size, 124, 12);
  writeOctal(header, 0, 136, 12); // mtime: fixed, so identical contexts hit the build cache
  header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  writeString(header, "0", 156, 1); // regular file
  writeString(header, "ustar\0", 257, 6);
  writeString(header, "00", 263, 2);
  writeString(header, "root", 265, 32);
  writeString(header, "root", 297, 32);
  let sum = 0;
  for (const byte of header) sum += byte;
  writeString(header, `${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return header;
}

export function packTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (!validName(entry.name)) throw new Error(`invalid tar entry name ${JSON.stringify(entry.name)}`);
    const data = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : entry.data;
    parts.push(headerFor(entry.name, data.length, entry.mode ?? 0o644), data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
