import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** One entry of git's index, as discovery needs it. */
export interface IndexFileEntry {
  /**
   * The path from the work tree's top, as bytes (git stores names as bytes, not text): `bytes` from
   * `start` to `end`. The bytes are reused once `visit` returns.
   */
  bytes: Buffer;
  start: number;
  end: number;
  /** The entry's mode: 0o100644, 0o100755, 0o120000 (a link), 0o160000 (a submodule). */
  mode: number;
  /** 0 for a merged entry; 1–3 for the sides of a conflict. */
  stage: number;
  /** git's assume-valid bit (`update-index --assume-unchanged`): git takes the work tree's file as unchanged. */
  assumeValid: boolean;
  /** git's skip-worktree bit (sparse checkout, `update-index --skip-worktree`): git does not look at the work tree. */
  skipWorktree: boolean;
}

/**
 * Why an index file is handed back to git rather than read here: a layout this reader does not take.
 * Git then reads it, as before; nothing is guessed.
 */
export class UnreadIndex extends Error {
  constructor(reason: string) {
    super(`git's index is read by git: ${reason}`);
    this.name = 'UnreadIndex';
  }
}

const SIGNATURE = 0x44495243; // "DIRC"
/** ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 bytes each). */
const STAT_BYTES = 40;
const ASSUME_VALID = 0x8000;
const EXTENDED = 0x4000;
const STAGE_MASK = 0x3000;
const NAME_MASK = 0x0fff;
const SKIP_WORKTREE = 0x4000;
/** Extensions whose presence means the entries above are not the whole index. */
const INCOMPLETE = new Map([
  ['link', 'it is split (core.splitIndex), and part of it lives in a shared index file'],
  ['sdir', 'it is sparse (index.sparse), and folders stand for the files beneath them'],
]);
const CHUNK = 1 << 20;

/**
 * Reads git's index file (versions 2, 3 and 4; SHA-1 or SHA-256), calling `visit` for each entry in the
 * index's order (by path, then stage). Read in chunks of 1 MiB into one reused buffer, not whole: the
 * index of a large tree is tens of megabytes. `visit` may keep nothing of `bytes` beyond its call: they
 * are reused.
 *
 * Throws `UnreadIndex` for what it does not take (a split or sparse index, another version, a file that
 * does not hold together, one whose trailing checksum does not match its bytes); the caller then asks
 * git, which judges a corrupt index itself. `visit` has been called for entries by then: a caller keeps
 * nothing it was given unless this returns. As git does, an index written with `index.skipHash` (a
 * checksum of zeros) is not verified.
 */
export function readIndexFile(file: string, hashBytes: 20 | 32, visit: (entry: IndexFileEntry) => void): void {
  const reader = new ChunkReader(file);
  try {
    reader.need(12);
    if (reader.u32(0) !== SIGNATURE) throw new UnreadIndex('it does not start as an index file does');
    const version = reader.u32(4);
    if (version < 2 || version > 4) throw new UnreadIndex(`version ${version} is not one this reader takes`);
    const count = reader.u32(8);
    reader.skip(12);
    const fixed = STAT_BYTES + hashBytes + 2;
    // Version 4 writes each path as the previous one, less some bytes at its end, plus new ones.
    let previous = Buffer.alloc(256);
    let previousLength = 0;
    const entry: IndexFileEntry = {
      bytes: previous,
      start: 0,
      end: 0,
      mode: 0,
      stage: 0,
      assumeValid: false,
      skipWorktree: false,
    };
    for (let i = 0; i < count; i++) {
      reader.need(fixed + 2);
      const mode = reader.u32(24);
      const flags = reader.u16(STAT_BYTES + hashBytes);
      const extended = (flags & EXTENDED) !== 0;
      if (extended && version < 3) throw new UnreadIndex('an entry has extended flags in a version 2 index');
      const extendedFlags = extended ? reader.u16(fixed) : 0;
      const start = fixed + (extended ? 2 : 0);
      let nameStart = start;
      let strip = 0;
      if (version === 4) {
        // Git's varint: 7 bits a byte, high bit set while more follow, each continuation adding one.
        reader.need(nameStart + 1);
        let byte = reader.byte(nameStart++);
        strip = byte & 127;
        while (byte & 128) {
          reader.need(nameStart + 1);
          byte = reader.byte(nameStart++);
          strip = ((strip + 1) << 7) | (byte & 127);
          // Checked as it grows too, so that a run of continuation bytes cannot overflow it.
          if (strip > previousLength) throw new UnreadIndex('an entry removes more of the previous path than it has');
        }
        if (strip > previousLength) throw new UnreadIndex('an entry removes more of the previous path than it has');
      }
      // The name's length is in the flags, as git reads it; a NUL ends it only past 4,094 bytes.
      const declared = flags & NAME_MASK;
      let nul: number;
      if (declared === NAME_MASK) {
        nul = reader.nul(nameStart);
      } else {
        nul = nameStart + declared - (previousLength - strip);
        if (nul < nameStart) throw new UnreadIndex('an entry’s name length is wrong');
        reader.need(nul + 1);
        if (reader.byte(nul) !== 0) throw new UnreadIndex('an entry’s name length is wrong');
      }
      const added = nul - nameStart;
      const pathLength = previousLength - strip + added;
      let size: number;
      if (version === 4) {
        if (pathLength > previous.length) {
          const grown = Buffer.alloc(Math.max(pathLength, previous.length * 2));
          previous.copy(grown, 0, 0, previousLength - strip);
          previous = grown;
        }
        reader.copy(previous, previousLength - strip, nameStart, nul);
        previousLength = pathLength;
        entry.bytes = previous;
        entry.start = 0;
        entry.end = pathLength;
        size = nul + 1;
      } else {
        // Padded with 1 to 8 NUL bytes to a multiple of 8; the path is taken once the whole entry is in
        // the buffer, since making room moves the bytes.
        size = (nameStart + added + 8) & ~7;
        reader.need(size);
        entry.bytes = reader.bytes();
        entry.start = reader.offset(nameStart);
        entry.end = entry.start + added;
      }
      entry.mode = mode;
      entry.stage = (flags & STAGE_MASK) >> 12;
      entry.assumeValid = (flags & ASSUME_VALID) !== 0;
      entry.skipWorktree = (extendedFlags & SKIP_WORKTREE) !== 0;
      if ((mode & 0o170000) === 0o040000) throw new UnreadIndex('it holds a folder entry (a sparse index)');
      visit(entry);
      reader.skip(size);
    }
    // Extensions, up to the trailing checksum: some mean the entries read are not all of the index.
    while (reader.remaining() > hashBytes) {
      reader.need(8);
      const signature = reader.latin1(0, 4);
      const size = reader.u32(4);
      const incomplete = INCOMPLETE.get(signature);
      if (incomplete) throw new UnreadIndex(incomplete);
      const first = signature.charCodeAt(0);
      if (first < 0x41 || first > 0x5a)
        throw new UnreadIndex(`it has an extension (${signature}) git requires readers to know`);
      if (size > reader.remaining() - 8 - hashBytes)
        throw new UnreadIndex('an extension runs past the end of the file');
      reader.skipFar(8 + size);
    }
    if (reader.remaining() !== hashBytes) throw new UnreadIndex('it does not end with a checksum');
    reader.verifyChecksum(hashBytes);
  } finally {
    reader.close();
  }
}

/** A file read forward through one reused buffer; offsets are relative to the current position. */
class ChunkReader {
  private readonly fd: number;
  private readonly size: number;
  private buffer = Buffer.allocUnsafe(CHUNK);
  /** The buffer holds the file's bytes [fileAt, fileAt + filled); the position is `at` in the buffer. */
  private fileAt = 0;
  private filled = 0;
  private at = 0;

  constructor(file: string) {
    try {
      this.fd = openSync(file, 'r');
    } catch (error) {
      // No index yet (nothing was ever added), or one this process may not read: git says which.
      throw new UnreadIndex(`it cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * Reads the whole file again (it is in the page cache by now) and compares the hash of all but its last
   * `hashBytes` with those: git's checksum of the index, SHA-1 or SHA-256 as the repository's objects.
   */
  verifyChecksum(hashBytes: 20 | 32): void {
    const end = this.size - hashBytes;
    const trailer = Buffer.alloc(hashBytes);
    if (readSync(this.fd, trailer, 0, hashBytes, end) !== hashBytes)
      throw new UnreadIndex('its checksum cannot be read');
    if (trailer.every((byte) => byte === 0)) return;
    const hash = createHash(hashBytes === 20 ? 'sha1' : 'sha256');
    for (let at = 0; at < end; ) {
      const read = readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, end - at), at);
      if (read === 0) throw new UnreadIndex('it ends before its checksum');
      hash.update(this.buffer.subarray(0, read));
      at += read;
    }
    if (!hash.digest().equals(trailer)) throw new UnreadIndex('its checksum does not match its contents');
  }

  remaining(): number {
    return this.size - (this.fileAt + this.at);
  }

  /** Makes the next `n` bytes readable; throws when the file ends first. */
  need(n: number): void {
    if (this.at + n <= this.filled) return;
    if (n > this.remaining()) throw new UnreadIndex('it ends in the middle of an entry');
    if (n > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(n, this.buffer.length * 2));
      this.buffer.copy(grown, 0, this.at, this.filled);
      this.buffer = grown;
    } else {
      this.buffer.copy(this.buffer, 0, this.at, this.filled);
    }
    this.fileAt += this.at;
    this.filled -= this.at;
    this.at = 0;
    while (this.filled < n) {
      const read = readSync(
        this.fd,
        this.buffer,
        this.filled,
        this.buffer.length - this.filled,
        this.fileAt + this.filled,
      );
      if (read === 0) throw new UnreadIndex('it ends in the middle of an entry');
      this.filled += read;
    }
  }

  skip(n: number): void {
    this.at += n;
  }

  /** Moves forward past bytes that need not be read (an extension's data). */
  skipFar(n: number): void {
    const kept = this.filled - this.at;
    if (n <= kept) {
      this.at += n;
      return;
    }
    this.fileAt += this.at + n;
    this.filled = 0;
    this.at = 0;
  }

  byte(offset: number): number {
    return this.buffer[this.at + offset]!;
  }

  u16(offset: number): number {
    return this.buffer.readUInt16BE(this.at + offset);
  }

  u32(offset: number): number {
    return this.buffer.readUInt32BE(this.at + offset);
  }

  latin1(from: number, to: number): string {
    return this.buffer.toString('latin1', this.at + from, this.at + to);
  }

  /** The offset of the next NUL byte from `from`, reading on as needed. */
  nul(from: number): number {
    for (;;) {
      const found = this.buffer.indexOf(0, this.at + from);
      if (found !== -1 && found < this.filled) return found - this.at;
      from = this.filled - this.at;
      this.need(from + 1);
    }
  }

  /** The buffer itself, and where an offset from the position is in it: valid until the next `need`. */
  bytes(): Buffer {
    return this.buffer;
  }

  offset(from: number): number {
    return this.at + from;
  }

  copy(target: Buffer, targetAt: number, from: number, to: number): void {
    this.buffer.copy(target, targetAt, this.at + from, this.at + to);
  }
}
