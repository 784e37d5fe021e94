/**
 * Temporary git repositories for tests of `--changed-since` and the commit hooks: real git,
 * run with an argument vector, with an identity and no user or system config leaking in.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { makeTempDir, writeTree } from './cli.js';

export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'migralint test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'migralint test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs git in `cwd`; throws with git's output when it fails. */
export function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A fresh repository on branch `main` holding `files`, committed as one commit. */
export function makeRepo(files: Record<string, string>, prefix = 'migralint-git-'): string {
  const dir = makeTempDir(prefix);
  git(dir, ['init', '-q', '-b', 'main']);
  writeTree(dir, files);
  commitAll(dir, 'init');
  return dir;
}

export function commitAll(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', message]);
}

export const rel = (...parts: string[]): string => path.join(...parts);
