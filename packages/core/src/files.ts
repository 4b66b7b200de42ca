import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join, sep } from 'node:path';
import type { Position, UnreadKind } from './model.js';

/** A file's text, or why it is not read; `at` places a fault in the text (an invalid byte, a NUL). */
export type FileRead = { ok: true; text: string } | FileRefusal;

type FileRefusal = {
  ok: false;
  kind: UnreadKind | 'encoding';
  /** Said after the file's name: "is not a regular file", "is 9000000 bytes". */
  reason: string;
  at?: Position;
};

/** Never block: a FIFO or a device opens at once, and is then refused for not being a regular file. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Reads a file of the repository as text for port-gitops to parse: a regular file (never a FIFO, a
 * socket or a device, which could block a run or never end), inside the repository once links are
 * resolved, at most `limit` bytes, valid UTF-8 without NUL bytes. An entity file must not be a link at
 * all (`noLink`); a referenced file may be a link that stays inside the repository.
 *
 * Synchronous on purpose: for thousands of small files, a promise per file costs more than the reading
 * itself, and nothing else runs while files load.
 */
export function readRepositoryFile(
  repository: { root: string; realRoot: string },
  path: string,
  options: {
    limit: number;
    noLink: boolean;
    /**
     * The caller knows the path's folders are real folders of the repository (discovery found it through
     * no link): only the file itself is checked, by opening it without following a link. Saves a
     * `realpath` and an `lstat` per file: a third of reading 10,000 entity files.
     */
    noLeadingSymlink?: boolean;
  },
): FileRead {
  const full = join(repository.root, path);
  let real = full;
  if (!(options.noLeadingSymlink && options.noLink)) {
    try {
      if (options.noLink && lstatSync(full).isSymbolicLink()) {
        return { ok: false, kind: 'link', reason: 'is a symbolic link (links are never followed)' };
      }
      real = realpathSync.native(full);
    } catch (error) {
      return missing(error);
    }
    if (real !== repository.realRoot && !real.startsWith(repository.realRoot + sep)) {
      return { ok: false, kind: 'outside', reason: 'is a link that leads outside the repository' };
    }
  }
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS | (options.noLink ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    return missing(error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, kind: 'not-regular', reason: 'is not a regular file' };
    if (stats.size > options.limit) return { ok: false, kind: 'too-large', reason: `is ${stats.size} bytes` };
    const buffer = Buffer.allocUnsafe(stats.size);
    let length = 0;
    while (length < stats.size) {
      const n = readSync(fd, buffer, length, stats.size - length, length);
      if (n === 0) break;
      length += n;
    }
    return decode(buffer.subarray(0, length));
  } catch (error) {
    return {
      ok: false,
      kind: 'unreadable',
      reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  } finally {
    closeSync(fd);
  }
}

function missing(error: unknown): FileRefusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, kind: 'missing', reason: 'does not exist' };
  if (code === 'ELOOP') return { ok: false, kind: 'link', reason: 'is a symbolic link (links are never followed)' };
  return { ok: false, kind: 'unreadable', reason: `cannot be read: ${code ?? String(error)}` };
}

/**
 * UTF-8 text, as written: invalid bytes are not replaced with U+FFFD (the text would change unseen), and
 * a NUL byte, which no JSON or YAML text holds and Port would not store, is refused too.
 */
function decode(buffer: Buffer): FileRead {
  if (!isUtf8(buffer)) {
    const offset = firstInvalidUtf8(buffer);
    const at = positionOf(buffer, offset);
    return {
      ok: false,
      kind: 'encoding',
      reason: `is not valid UTF-8: byte 0x${hex(buffer[offset]!)} at ${at.line}:${at.column}`,
      at,
    };
  }
  const nul = buffer.indexOf(0);
  if (nul !== -1) {
    const at = positionOf(buffer, nul);
    return { ok: false, kind: 'encoding', reason: `holds a NUL byte at ${at.line}:${at.column}`, at };
  }
  return { ok: true, text: buffer.toString('utf8') };
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(buffer: Buffer): number {
  for (let i = 0; i < buffer.length; ) {
    const byte = buffer[i]!;
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0;
    if (length === 0 || !isUtf8(buffer.subarray(i, i + length))) return i;
    i += length;
  }
  return buffer.length;
}

/** Line and column (in characters) of a byte offset; the bytes before it are valid UTF-8. */
function positionOf(buffer: Buffer, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = buffer.indexOf(10); i !== -1 && i < offset; i = buffer.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: buffer.toString('utf8', lineStart, offset).length + 1 };
}
