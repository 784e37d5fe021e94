/**
 * The directory scan behind discovery: every file under a root whose path matches the patterns,
 * and a reason for everything it could not look at instead of a silent skip.
 *
 * - Entries whose name starts with `.` are not visited (as with `dot: false` globs).
 * - Matching names are returned whatever they are (a directory named `x.sql`, a named pipe, a
 *   device, a broken or looping symbolic link): reading them (./read-file.ts) names the reason.
 * - Symbolic links to directories are not followed. One that leads to a directory inside the root
 *   is skipped quietly (its files are found at their real place; a link to an ancestor would be a
 *   loop); one that leads elsewhere is named: its files are not read.
 * - A directory that cannot be listed, a link loop, an entry that vanished mid-scan: named.
 * Linear in the number of entries: one readdir per directory, one stat per symbolic link.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describeFsError, isInside } from './read-file.js';

export interface WalkOptions {
  /** Globs relative to the root (`**\/*.sql`). */
  readonly patterns: readonly string[];
  /** Globs relative to the root of paths not to visit (`**\/node_modules/**`, `**\/*.d.ts`). */
  readonly ignore: readonly string[];
  /**
   * Directories whose path matches these are returned as files too (so that reading names them);
   * default: `patterns`.
   */
  readonly directoryPatterns?: readonly string[];
}

export interface WalkProblem {
  /** Absolute path. */
  readonly path: string;
  readonly reason: string;
}

export interface WalkResult {
  /** Absolute paths (normalized), in directory order. */
  readonly files: string[];
  readonly problems: WalkProblem[];
}

type Picomatch = typeof import('picomatch');
let picomatchModule: Picomatch | undefined;

/** picomatch, loaded on first use: a run over single files never walks or matches a glob. */
export function lazyPicomatch(): Picomatch {
  return (picomatchModule ??= createRequire(import.meta.url)('picomatch') as Picomatch);
}

/**
 * A test of a path against a list of globs, as picomatch's matcher of the list answers it: the
 * path is one of the globs as written, or matches one of their regular expressions (picomatch's
 * own, with the options its matcher would use). Joined into one expression: picomatch's matcher
 * calls one function per glob and path, which cost a cold run over 1,000 files ~15 ms.
 */
export function globTest(globs: readonly string[], options: { readonly dot: boolean }): (path: string) => boolean {
  const picomatch = lazyPicomatch();
  // What picomatch's index sets before it builds a matcher (Windows: backslash separators too).
  const opts = { ...options, windows: process.platform === 'win32' };
  if (globs.length === 0) return () => false;
  let joined: RegExp;
  try {
    joined = new RegExp(globs.map((g) => picomatch.makeRe(g, opts).source).join('|'));
  } catch {
    // A glob whose expression cannot be joined: picomatch's matcher, one glob at a time.
    const each = picomatch([...globs], options);
    return (p) => each(p);
  }
  const literal = new Set(globs);
  // Paths here use `/` (toPosixSlashes, which picomatch applies on Windows, changes nothing).
  return (p) => p !== '' && (literal.has(p) || joined.test(p));
}

export function walk(root: string, options: WalkOptions): WalkResult {
  const files: string[] = [];
  const problems: WalkProblem[] = [];
  const matches = globTest(options.patterns, { dot: false });
  const ignored = globTest(options.ignore, { dot: true });
  const dirMatches = options.directoryPatterns ? globTest(options.directoryPatterns, { dot: false }) : matches;
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch (err) {
    problems.push({ path: root, reason: describeFsError(err) });
    return { files, problems };
  }
  // Depth-first with an explicit stack: no recursion limit on deep trees. Paths are joined by
  // hand: the root is normalized once, and an entry's name holds no separator and is never . or ..
  const sep = path.sep;
  const stack: { abs: string; rel: string }[] = [{ abs: path.normalize(root), rel: '' }];
  while (stack.length > 0) {
    const { abs: dir, rel: dirRel } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ path: dir, reason: code === 'ENOENT' ? 'directory disappeared during the scan' : `cannot list this directory: ${describeFsError(err)}` });
      continue;
    }
    const subdirs: { abs: string; rel: string }[] = [];
    for (const e of entries) {
      const name = e.name;
      if (name.startsWith('.')) continue;
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      const abs = dir.endsWith(sep) ? dir + name : dir + sep + name;
      if (e.isDirectory()) {
        if (ignored(`${rel}/x`) || ignored(rel)) continue;
        if (dirMatches(rel)) files.push(abs);
        subdirs.push({ abs, rel });
        continue;
      }
      if (ignored(rel)) continue;
      if (!e.isSymbolicLink()) {
        if (matches(rel)) files.push(abs);
        continue;
      }
      let isDir = false;
      try {
        isDir = statSync(abs).isDirectory();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (matches(rel)) files.push(abs);
        else if (code === 'ELOOP') problems.push({ path: abs, reason: describeFsError(err) });
        continue;
      }
      if (!isDir) {
        if (matches(rel)) files.push(abs);
        continue;
      }
      if (ignored(`${rel}/x`)) continue;
      let real: string;
      try {
        real = realpathSync(abs);
      } catch (err) {
        problems.push({ path: abs, reason: describeFsError(err) });
        continue;
      }
      if (!isInside(real, rootReal)) {
        problems.push({ path: abs, reason: 'a symbolic link to a directory outside the checked path: not followed' });
      }
    }
    // Visit subdirectories in name order (the stack pops the last first).
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return { files, problems };
}
