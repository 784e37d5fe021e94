/**
 * Reading a migration file: regular files only, size-capped before reading, UTF-8 (or UTF-16 with
 * a byte-order mark), binary files refused, symbolic links that lead outside the checked paths
 * refused, every failure a one-line reason.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { FileProblem, SourceFile } from '../model.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Default of the `maxFileSizeMiB` config key: far above any real migration. */
export const DEFAULT_MAX_FILE_SIZE_MIB = 16;

export interface ReadOptions {
  /** Files larger than this are refused without being read. */
  readonly maxBytes?: number;
  /**
   * Real paths a symbolic link may lead into (the checked paths and the config's directory);
   * undefined: any.
   */
  readonly allowedRoots?: readonly string[];
}

export function relativePath(cwd: string, file: string): string {
  if (!path.isAbsolute(file) || cwd.startsWith(file) || file.endsWith(path.sep)) {
    const rel = path.relative(cwd, file);
    return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
  }
  // A set's files share a few directories: path.relative (which resolves both paths each time)
  // runs once per directory.
  const dir = path.dirname(file);
  const key = `${cwd}\0${dir}`;
  let relDir = relativeDirs.get(key);
  if (relDir === undefined) relativeDirs.set(key, (relDir = path.relative(cwd, dir).split(path.sep).join('/')));
  const base = file.slice(dir.length + (dir.endsWith(path.sep) ? 0 : 1));
  return relDir === '' ? base : `${relDir}/${base}`;
}

const relativeDirs = new Map<string, string>();

export type ReadResult = { ok: true; file: SourceFile } | { ok: false; problem: FileProblem };

/** Is `p` (a real path) `root` or inside it? */
export function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'not a regular file (a named pipe)';
  if (st.isCharacterDevice()) return 'not a regular file (a character device)';
  if (st.isBlockDevice()) return 'not a regular file (a block device)';
  if (st.isSocket()) return 'not a regular file (a socket)';
  return 'not a regular file';
}

function mib(bytes: number): string {
  const v = bytes / (1024 * 1024);
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} MiB`;
}

/**
 * The text of a regular file (decoded as decodeText does), or why not. Opened without blocking (a
 * named pipe would otherwise wait for a writer forever) and checked with fstat before a byte is
 * read.
 */
export function readTextFile(absPath: string, options: ReadOptions = {}): { ok: true; text: string; bom?: boolean } | { ok: false; reason: string } {
  const read = readBytes(absPath, options);
  return read.ok ? decodeText(read.bytes) : read;
}

/**
 * Where files are read to before they are decoded: one buffer for the run instead of one per file
 * (1,000 migrations allocated 128 MB of 64 KiB buffers, and the garbage collector ran for it).
 */
let scratch = Buffer.allocUnsafe(64 * 1024);
/** Files larger than this are read into a buffer of their own: the scratch buffer stays small. */
const SCRATCH_MAX = 1024 * 1024;

/**
 * With symbolic links restricted (`allowedRoots`), the file is opened with O_NOFOLLOW where the
 * platform has it: a regular file (nearly always) then costs no lstat, and a link is seen by the
 * open failing (ELOOP) and checked before it is opened again.
 */
const NOFOLLOW = constants.O_NOFOLLOW;

/** The bytes of a regular file, in the scratch buffer (valid until the next read) or a buffer of its own. */
function readBytes(absPath: string, options: ReadOptions): { ok: true; bytes: Buffer } | { ok: false; reason: string } {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_SIZE_MIB * 1024 * 1024;
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
  let fd: number | undefined;
  if (options.allowedRoots && NOFOLLOW !== undefined) {
    try {
      fd = openSync(absPath, flags | NOFOLLOW);
    } catch (err) {
      // ELOOP (EMLINK on FreeBSD): the last part of the path is a symbolic link, or a link in the
      // path loops (the check below names that). Anything else is this file's reason.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ELOOP' && code !== 'EMLINK') return { ok: false, reason: describeFsError(err) };
    }
  }
  if (fd === undefined) {
    const refused = options.allowedRoots ? symlinkRefusal(absPath, options.allowedRoots) : undefined;
    if (refused !== undefined) return { ok: false, reason: refused };
    try {
      fd = openSync(absPath, flags);
    } catch (err) {
      return { ok: false, reason: describeFsError(err) };
    }
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: describeKind(st) };
    const limit = `the size limit of ${mib(maxBytes)} (raise "maxFileSizeMiB" in the config to lint it)`;
    if (st.size > maxBytes) return { ok: false, reason: `too large to lint (${mib(st.size)}, over ${limit})` };
    // Read to the end, never past the limit (a file may grow, /proc files report size 0). The
    // buffer holds at least one byte more than fstat's size: a short read that reaches that size
    // is the end of the file, without one more read to see it.
    let buf = st.size < scratch.length ? scratch : st.size < SCRATCH_MAX ? (scratch = Buffer.allocUnsafe(SCRATCH_MAX)) : Buffer.allocUnsafe(st.size + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const want = buf.length - total;
      const n = readSync(fd, buf, total, want, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { ok: false, reason: `too large to lint (over ${limit})` };
      if (n < want && st.size > 0 && total >= st.size) break;
    }
    return { ok: true, bytes: buf.subarray(0, total) };
  } catch (err) {
    return { ok: false, reason: describeFsError(err) };
  } finally {
    closeSync(fd);
  }
}

/** Why a path that is a symbolic link may not be read (it leads outside `allowedRoots`), if so. */
function symlinkRefusal(absPath: string, allowedRoots: readonly string[]): string | undefined {
  try {
    if (!lstatSync(absPath).isSymbolicLink()) return undefined;
    const real = realpathSync(absPath);
    if (!allowedRoots.some((root) => isInside(real, root))) {
      return "a symbolic link that leads outside the checked paths (and the config's directory): not read";
    }
    return undefined;
  } catch (err) {
    return describeFsError(err);
  }
}

/** Text of a file's bytes: UTF-8 (BOM stripped), UTF-16 LE/BE with a BOM; or why not. */
export function decodeText(bytes: Buffer): { ok: true; text: string; bom?: boolean } | { ok: false; reason: string } {
  let text: string;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    try {
      text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes.subarray(2));
    } catch {
      return { ok: false, reason: `not valid UTF-16 ${le ? 'LE' : 'BE'} (it starts with a UTF-16 byte-order mark); save it as UTF-8` };
    }
    const nul = text.indexOf('\0');
    if (nul >= 0) return { ok: false, reason: `binary file (a NUL character at offset ${nul}), not a migration` };
    return { ok: true, text };
  }
  // The whole file: a NUL anywhere stops the SQL parsers, silently, at that byte.
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, reason: nul < 8192 ? 'binary file (contains NUL bytes), not a migration' : `binary file (a NUL byte at offset ${nul}), not a migration` };
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: `not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)}); save it as UTF-8` };
  }
  // TextDecoder drops a leading BOM itself (ignoreBOM is false); note it for the SARIF line hash.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text, ...(bom ? { bom } : {}) };
}

export function readSourceFile(absPath: string, cwd: string, options: ReadOptions = {}): ReadResult {
  const relPath = relativePath(cwd, absPath);
  const decoded = readTextFile(absPath, options);
  if (!decoded.ok) return { ok: false, problem: { path: relPath, reason: decoded.reason } };
  return { ok: true, file: { path: absPath, relPath, text: decoded.text, ...(decoded.bom ? { bom: true } : {}) } };
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links (a symlink loop?)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ENXIO':
      return 'not a regular file (a device or socket with nothing behind it)';
    case 'EAGAIN':
      return 'not a regular file (it would block)';
    default:
      return err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
}

/** Offset of the first byte that breaks UTF-8 decoding. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}
