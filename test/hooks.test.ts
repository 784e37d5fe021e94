/**
 * The commit hooks, with the real tools: the pre-commit framework installing this repository's
 * hook from git (`.pre-commit-hooks.yaml`; pre-commit clones, runs `npm install`, `npm pack` and
 * `npm install -g` of the tarball: the same steps `npm install <git url>` takes), and husky +
 * lint-staged with migralint installed from the package as `npm pack` makes it. Each test
 * commits in a fresh repository and asserts what a user sees: the commit refused with the
 * finding printed, or made.
 *
 * The hook repository is this checkout at HEAD when it is clean (CI's fresh clone); with
 * uncommitted changes, a temporary repository holding a snapshot of the work tree (tracked and
 * untracked files, .gitignore honoured) committed once, so the test checks the code under test
 * and never writes to this checkout. pre-commit's install (the slow part: npm installs the dev
 * dependencies and builds) runs once per run of this file, into a temporary PRE_COMMIT_HOME
 * shared by its tests; the husky project installs the tarball packed from the build under test
 * (dist/, which `npm test` builds first) in parallel.
 *
 * Skipped, saying so, when `pre-commit` or git is not installed (.ci/run installs pre-commit).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, REPO, writeTree } from './helpers/cli.js';
import { GIT_ENV, git } from './helpers/git.js';

const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
const hasGit = has('git', ['--version']);
const hasPreCommit = has('pre-commit', ['--version']);
const isCheckout = hasGit && spawnSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).status === 0;
const skipReason = !hasGit ? 'git is not installed' : !isCheckout ? `${REPO} is not a git checkout` : !hasPreCommit ? 'pre-commit is not installed (apt-get install pre-commit; .ci/run does)' : '';

/** npm, quiet and cache-first (what a patient user gets on a second install anyway). */
const NPM_ENV = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true' };

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly ms: number;
}

function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Run {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', ...env }, timeout: timeoutMs });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
}

/** The same, without blocking: the two long installs run side by side. */
function runAsync(cmd: string, args: readonly string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output, ms: Date.now() - t0 });
    });
  });
}

/** This checkout at HEAD when clean, else a committed snapshot of its work tree. */
function hookSource(): { repo: string; rev: string } {
  const dirty = git(REPO, ['status', '--porcelain', '--untracked-files=normal']).trim() !== '';
  if (!dirty) return { repo: REPO, rev: git(REPO, ['rev-parse', 'HEAD']).trim() };
  const snap = makeTempDir('migralint-snapshot-');
  const files = git(REPO, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter((f) => f !== '');
  for (const f of files) {
    try {
      mkdirSync(path.dirname(path.join(snap, f)), { recursive: true });
      copyFileSync(path.join(REPO, f), path.join(snap, f));
    } catch (err) {
      // Deleted in the work tree but still in the index: not part of the snapshot.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  git(snap, ['init', '-q', '-b', 'main']);
  git(snap, ['add', '-A']);
  git(snap, ['commit', '-q', '-m', 'snapshot of the work tree under test']);
  return { repo: snap, rev: git(snap, ['rev-parse', 'HEAD']).trim() };
}

const CREATE_USERS = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n';
const BACKFILL = "UPDATE users SET email = '' WHERE email IS NULL;\n";
const DROP_USERS = 'DROP TABLE users;\n';

afterAll(removeTempDirs);

describe.skipIf(skipReason !== '')(`commit hooks with the real tools${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let preCommitHome = '';
  let preCommitProject = '';
  let huskyProject = '';
  const timings: string[] = [];

  /** A fresh repository holding the pre-commit config, with the hook installed. */
  function preCommitRepo(): string {
    const dir = makeTempDir('migralint-precommit-');
    git(dir, ['init', '-q', '-b', 'main']);
    copyFileSync(path.join(preCommitProject, '.pre-commit-config.yaml'), path.join(dir, '.pre-commit-config.yaml'));
    const r = run('pre-commit', ['install'], dir, { PRE_COMMIT_HOME: preCommitHome });
    expect(r.status, r.output).toBe(0);
    return dir;
  }

  beforeAll(async () => {
    const source = hookSource();
    preCommitHome = makeTempDir('migralint-pre-commit-home-');
    // pre-commit: a project naming the hook repository at a commit, as the README says.
    preCommitProject = makeTempDir('migralint-precommit-setup-');
    git(preCommitProject, ['init', '-q', '-b', 'main']);
    writeFileSync(
      path.join(preCommitProject, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${JSON.stringify(source.repo)}\n    rev: ${source.rev}\n    hooks:\n      - id: migralint\n        language_version: system\n`,
    );
    // husky + lint-staged: migralint installed from its packed tarball.
    if (!existsSync(path.join(REPO, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: build first (npm test does)');
    const packDir = makeTempDir('migralint-pack-');
    const pack = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], REPO, NPM_ENV);
    expect(pack.status, pack.output).toBe(0);
    const tarball = path.join(packDir, pack.output.trim().split('\n').pop()!);
    huskyProject = makeTempDir('migralint-husky-');
    git(huskyProject, ['init', '-q', '-b', 'main']);
    writeTree(huskyProject, {
      'package.json': JSON.stringify({ name: 'husky-project', private: true, 'lint-staged': { 'db/migrations/*.sql': 'migralint check' } }, null, 2),
      '.gitignore': 'node_modules/\n',
    });
    const [hooks, npmInstall] = await Promise.all([
      runAsync('pre-commit', ['install-hooks'], preCommitProject, { PRE_COMMIT_HOME: preCommitHome, ...NPM_ENV }, 900_000),
      runAsync('npm', ['install', '--save-dev', tarball, 'husky@^9', 'lint-staged@^16'], huskyProject, NPM_ENV, 900_000),
    ]);
    timings.push(`pre-commit install-hooks ${hooks.ms} ms`, `npm install of the tarball + husky + lint-staged ${npmInstall.ms} ms`);
    expect(hooks.status, `pre-commit install-hooks failed:\n${hooks.output}`).toBe(0);
    expect(npmInstall.status, `npm install failed:\n${npmInstall.output}`).toBe(0);
  }, 1_200_000);

  afterAll(() => {
    if (timings.length > 0) console.log(`hooks.test.ts timings: ${timings.join('; ')}`);
  });

  it('pre-commit: a dangerous migration is refused with the finding printed; a safe one commits', () => {
    const dir = preCommitRepo();
    writeTree(dir, { 'db/migrations/001_users.sql': CREATE_USERS });
    git(dir, ['add', '-A']);
    const safe = run('git', ['commit', '-q', '-m', 'users'], dir, { PRE_COMMIT_HOME: preCommitHome });
    timings.push(`commit through pre-commit ${safe.ms} ms`);
    expect(safe.status, safe.output).toBe(0);
    expect(safe.output).toMatch(/migralint\.+Passed/);

    writeTree(dir, { 'db/migrations/002_drop_users.sql': DROP_USERS });
    git(dir, ['add', '-A']);
    const refused = run('git', ['commit', '-q', '-m', 'drop users'], dir, { PRE_COMMIT_HOME: preCommitHome });
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/migralint\.+Failed/);
    expect(refused.output).toContain('db/migrations/002_drop_users.sql:1:1  error  no-drop-table');
    expect(refused.output).toContain('Dropping table "users" deletes all of its rows.');
    expect(git(dir, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');
  }, 120_000);

  it('pre-commit run --files: only the given files, each in the context of its set', () => {
    const dir = preCommitRepo();
    writeTree(dir, {
      'db/migrations/001_users.sql': CREATE_USERS,
      'db/migrations/002_backfill.sql': BACKFILL,
      // Safe only because 002 filled every NULL: the context the hook must see.
      'db/migrations/003_not_null.sql': 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n',
      'db/migrations/004_drop.sql': DROP_USERS,
      // Knex: picked up by the hook's default `files` (migrations/ folder).
      'api/migrations/20240101000000_t.js': "exports.up = (knex) => knex.schema.dropTable('accounts');\nexports.down = () => {};\n",
      'api/knexfile.js': "module.exports = { client: 'pg' };\n",
    });
    git(dir, ['add', '-A']);
    const r = run('pre-commit', ['run', '--files', 'db/migrations/003_not_null.sql', 'api/migrations/20240101000000_t.js'], dir, { PRE_COMMIT_HOME: preCommitHome });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('api/migrations/20240101000000_t.js:1:24  error  no-drop-table');
    expect(r.output).not.toContain('003_not_null');
    expect(r.output).not.toContain('004_drop');
    const only003 = run('pre-commit', ['run', '--files', 'db/migrations/003_not_null.sql'], dir, { PRE_COMMIT_HOME: preCommitHome });
    expect(only003.status, only003.output).toBe(0);
  }, 120_000);

  it('husky + lint-staged (absolute paths): refused, then committed', () => {
    const dir = huskyProject;
    const init = run('npx', ['--no-install', 'husky', 'init'], dir);
    expect(init.status, init.output).toBe(0);
    writeFileSync(path.join(dir, '.husky', 'pre-commit'), 'npx lint-staged\n');
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.migralint).toMatch(/^file:.*\.tgz$/);
    writeTree(dir, { 'db/migrations/001_users.sql': CREATE_USERS, 'db/migrations/002_backfill.sql': BACKFILL });
    git(dir, ['add', '-A']);
    const first = run('git', ['commit', '-q', '-m', 'users'], dir);
    expect(first.status, first.output).toBe(0);

    // lint-staged passes absolute paths of the staged files; 003 is safe after 002's backfill.
    writeTree(dir, { 'db/migrations/003_not_null.sql': 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n', 'db/migrations/004_drop.sql': DROP_USERS });
    git(dir, ['add', '-A']);
    const refused = run('git', ['commit', '-q', '-m', 'drop'], dir);
    timings.push(`commit through husky + lint-staged ${refused.ms} ms`);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('db/migrations/004_drop.sql:1:1  error  no-drop-table');
    expect(refused.output).not.toContain('003_not_null.sql:');
    expect(git(dir, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');

    git(dir, ['rm', '-q', '--cached', 'db/migrations/004_drop.sql']);
    const ok = run('git', ['commit', '-q', '-m', 'not null'], dir);
    expect(ok.status, ok.output).toBe(0);
    expect(git(dir, ['rev-list', '--count', 'HEAD']).trim()).toBe('2');
  }, 180_000);
});
