/**
 * Reading a migration file: strict UTF-8, binary files refused, every failure a one-line reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileProblem, SourceFile } from '../model.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function relativePath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

export type ReadResult = { ok: true; file: SourceFile } | { ok: false; problem: FileProblem };

export function readSourceFile(absPath: string, cwd: string): ReadResult {
  const relPath = relativePath(cwd, absPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absPath);
  } catch (err) {
    return { ok: false, problem: { path: relPath, reason: describeFsError(err) } };
  }
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { ok: false, problem: { path: relPath, reason: 'binary file (contains NUL bytes), not a migration' } };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, problem: { path: relPath, reason: `not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)}); save it as UTF-8` } };
  }
  // TextDecoder drops a leading BOM itself (ignoreBOM is false); note it for the SARIF line hash.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, file: { path: absPath, relPath, text, ...(bom ? { bom } : {}) } };
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
