/**
 * `--changed-since REF`: report only the migrations a branch adds or edits, still linted in the
 * context of their whole chain.
 *
 * What "changed" means: the work tree (what migralint reads) compared with the merge base of REF
 * and HEAD, so commits on REF after the branch left it do not count, while staged, unstaged and
 * untracked (not ignored) files do: a migration written but not yet committed is new. In CI the
 * work tree is HEAD, so this is exactly what the pull request changes.
 *
 * Each set gets `focus` (the files reported on, as for file arguments) and `changes` (what the
 * two rules about applied migrations read). A renamed file keeps its identity (it existed at the
 * base under its old name); deleted files are gone from the set and not reported.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileChange, MigrationSet } from '../model.js';
import { GitError, mergeBase, resolveCommit, textAt, workTreeChanges, workTreeRoot } from './git.js';

export { GitError };

export async function applyChangedSince(sets: MigrationSet[], ref: string, cwd: string): Promise<void> {
  // The repository of the working directory; run from outside one, that of the migrations.
  let root: string;
  try {
    root = await workTreeRoot(cwd);
  } catch (err) {
    const first = sets[0] ? path.resolve(cwd, sets[0].root) : undefined;
    if (!(err instanceof GitError) || first === undefined) throw err;
    root = await workTreeRoot(existsSync(first) && statSync(first).isDirectory() ? first : path.dirname(first)).catch(() => {
      throw err;
    });
  }
  const refCommit = await resolveCommit(root, ref);
  const base = await mergeBase(root, ref, refCommit);
  const changes = await workTreeChanges(root, base);
  const byPath = new Map(changes.map((c) => [c.path, c]));

  // Set files are absolute paths under cwd as given; git speaks of real paths under the root.
  const realCwd = safeRealpath(cwd);
  const realRoot = safeRealpath(root);
  const toRepoPath = (abs: string): string => path.relative(realRoot, path.join(realCwd, path.relative(cwd, abs))).split(path.sep).join('/');

  for (const set of sets) {
    const files = new Map<string, FileChange>();
    const all = new Map<string, string>();
    for (const m of set.migrations) for (const f of [m.file, m.up?.file, m.down?.file]) if (f) all.set(f.path, f.text);
    for (const f of set.findings) all.set(f.span.file.path, f.span.file.text);
    const movedOnly = new Set<string>();
    for (const [abs, text] of all) {
      const change = byPath.get(toRepoPath(abs));
      if (!change || change.status === 'deleted') continue;
      if (change.status === 'added') {
        files.set(abs, { status: 'added' });
        continue;
      }
      const from = change.fromPath ?? change.path;
      const baseText = await textAt(root, base, from);
      if (baseText === null) files.set(abs, { status: 'added' });
      else if (change.status === 'renamed') {
        files.set(abs, { status: 'modified', baseText, renamedFrom: from });
        if (baseText === text) movedOnly.add(abs);
      }
      else files.set(abs, { status: 'modified', baseText });
    }
    set.changes = { ref, files };
    // Reported: files added or edited, within any focus the file arguments already gave.
    // A file only moved has nothing new to report.
    const changed = new Set([...files.keys()].filter((f) => !movedOnly.has(f)));
    set.focus = new Set(set.focus ? [...set.focus].filter((f) => changed.has(f)) : changed);
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
