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
  /** Absolute paths, in directory order. */
  readonly files: string[];
  readonly problems: WalkProblem[];
}

type Picomatch = typeof import('picomatch');
let picomatchModule: Picomatch | undefined;

/** picomatch, loaded on first use: a run over single files never walks or matches a glob. */
export function lazyPicomatch(): Picomatch {
  return (picomatchModule ??= createRequire(import.meta.url)('picomatch') as Picomatch);
}

export function walk(root: string, options: WalkOptions): WalkResult {
  const picomatch = lazyPicomatch();
  const files: string[] = [];
  const problems: WalkProblem[] = [];
  const matches = picomatch([...options.patterns], { dot: false });
  const ignored = picomatch([...options.ignore], { dot: true });
  const dirMatches = options.directoryPatterns ? picomatch([...options.directoryPatterns], { dot: false }) : matches;
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch (err) {
    problems.push({ path: root, reason: describeFsError(err) });
    return { files, problems };
  }
  // Depth-first with an explicit stack: no recursion limit on deep trees.
  const stack: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];
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
      const abs = path.join(dir, name);
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
