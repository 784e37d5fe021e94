/**
 * The few git commands `--changed-since` needs, run through child_process with an argument
 * vector (never a shell string), so refs and paths with spaces, quotes or unicode pass as is.
 */
import { execFile } from 'node:child_process';

export class GitError extends Error {}

interface GitOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `git -C dir ...args`; resolves with the exit code instead of rejecting on failure. */
export function git(dir: string, args: readonly string[]): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', dir, ...args],
      // Paths come back verbatim (with -z) whatever core.quotePath says; a big diff fits.
      { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
          // ENOENT and the like: git itself could not be started.
          reject(new GitError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (it is needed to find what changed)' : `git could not be run: ${err.message}`));
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The first line git wrote on stderr, without its "fatal: " prefix. */
function gitSays(out: GitOutput): string {
  const line = out.stderr.split('\n').find((l) => l.trim() !== '') ?? `git exited with ${out.code}`;
  return line.replace(/^(?:fatal|error): /, '').trim();
}

/** The top of the work tree holding `dir`. */
export async function workTreeRoot(dir: string): Promise<string> {
  const out = await git(dir, ['rev-parse', '--show-toplevel']);
  if (out.code !== 0 || out.stdout.trim() === '') throw new GitError(`${dir} is not in a git work tree (${gitSays(out)})`);
  return out.stdout.replace(/\n$/, '');
}

/** The commit REF names, or a GitError saying it does not exist. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a git ref`);
  const out = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (out.code !== 0) throw new GitError(`no commit "${ref}" in this repository (a shallow clone needs the history: fetch-depth: 0 in actions/checkout)`);
  return out.stdout.trim();
}

/** The merge base of REF and HEAD: where the branch being checked left REF. */
export async function mergeBase(root: string, ref: string, refCommit: string): Promise<string> {
  const head = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.code !== 0) throw new GitError('HEAD has no commit yet, so nothing can be compared with it');
  const out = await git(root, ['merge-base', refCommit, 'HEAD']);
  if (out.code !== 0) throw new GitError(`"${ref}" and HEAD have no common ancestor (a shallow clone needs the history: fetch-depth: 0 in actions/checkout)`);
  return out.stdout.trim();
}

export interface TreeChange {
  /** Path relative to the top of the work tree, with forward slashes. */
  readonly path: string;
  readonly status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** For renames: the path at the base. */
  readonly fromPath?: string;
}

/**
 * How the work tree differs from `base`: tracked changes (staged or not) with renames detected,
 * and untracked files that .gitignore does not exclude (a migration written but not yet added).
 */
export async function workTreeChanges(root: string, base: string): Promise<TreeChange[]> {
  const diff = await git(root, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', base, '--']);
  if (diff.code !== 0) throw new GitError(`git diff failed: ${gitSays(diff)}`);
  const changes: TreeChange[] = [];
  const fields = diff.stdout.split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i++]!;
    const letter = status[0];
    if (letter === 'R' || letter === 'C') {
      const from = fields[i++]!;
      const to = fields[i++]!;
      changes.push(letter === 'R' ? { path: to, status: 'renamed', fromPath: from } : { path: to, status: 'added' });
    } else {
      const p = fields[i++]!;
      changes.push({ path: p, status: letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified' });
    }
  }
  const untracked = await git(root, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name']);
  if (untracked.code !== 0) throw new GitError(`git ls-files failed: ${gitSays(untracked)}`);
  for (const p of untracked.stdout.split('\0')) if (p !== '') changes.push({ path: p, status: 'added' });
  return changes;
}

/** A file's text at a commit (`git show COMMIT:path`), or null when it is not there. */
export async function textAt(root: string, commit: string, relPath: string): Promise<string | null> {
  const out = await git(root, ['show', '--no-textconv', `${commit}:${relPath}`]);
  return out.code === 0 ? out.stdout : null;
}
