/**
 * `migralint check --changed-since REF` end to end, on real git repositories: only what the
 * branch (and the work tree) adds or edits is reported, each migration still linted in the
 * context of its whole chain; renames, deletions, odd paths, subdirectories, untracked files,
 * and the errors for a missing ref or a directory outside git.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli } from './helpers/cli.js';
import { commitAll, git, makeRepo } from './helpers/git.js';

afterAll(removeTempDirs);

const DIR = 'db/migrations';
const CREATE = `-- migrate:up\nCREATE TABLE orders (id int, note text);\n-- migrate:down\nDROP TABLE orders;\n`;
const DROP_NOTE = `-- migrate:up\nALTER TABLE orders DROP COLUMN note;\n-- migrate:down\nALTER TABLE orders ADD COLUMN note text;\n`;

/** A repository whose `main` has two migrations, checked out on a branch `feature`. */
function repoOnBranch(extra: Record<string, string> = {}): string {
  const dir = makeRepo({ [`${DIR}/001_create.sql`]: CREATE, [`${DIR}/002_drop_note.sql`]: DROP_NOTE, ...extra });
  git(dir, ['checkout', '-q', '-b', 'feature']);
  return dir;
}

const check = (cwd: string, ...args: string[]) => runCli(['check', '--format', 'json', ...args], { cwd });

describe('--changed-since', () => {
  it('reports nothing when the branch changed no migration, though the chain has findings', () => {
    const dir = repoOnBranch();
    expect(findingTuples(check(dir, '.'))).toEqual([[`${DIR}/002_drop_note.sql`, 2, 20, 'no-drop-column']]);
    const r = check(dir, '--changed-since', 'main', '.');
    expect(r.status).toBe(0);
    expect(findingTuples(r)).toEqual([]);
    expect(jsonReport(r).summary.migrations).toBe(0);
  });

  it('reports a committed new migration, linted in the context of the chain', () => {
    const dir = repoOnBranch();
    // orders exists (created by 001 on main): dropping it is reported; a table created in the
    // same new migration is not.
    writeFileSync(path.join(dir, DIR, '003_drop.sql'), `-- migrate:up\nCREATE TABLE tmp (id int);\nDROP TABLE tmp;\nDROP TABLE orders;\n-- migrate:down\n`);
    commitAll(dir, 'drop orders');
    const r = check(dir, '--changed-since', 'main');
    expect(findingTuples(r)).toEqual([
      [`${DIR}/003_drop.sql`, 4, 1, 'no-drop-table'],
      [`${DIR}/003_drop.sql`, 5, 1, 'require-down'],
    ]);
    expect(jsonReport(r).summary.migrations).toBe(1);
    expect(r.status).toBe(1);
  });

  it('compares with the merge base: commits on REF after the branch left it do not count', () => {
    const dir = repoOnBranch();
    writeFileSync(path.join(dir, DIR, '003_mine.sql'), `-- migrate:up\nDROP TABLE orders;\n-- migrate:down\n`);
    commitAll(dir, 'mine');
    git(dir, ['checkout', '-q', 'main']);
    writeFileSync(path.join(dir, DIR, '000_theirs.sql'), `-- migrate:up\nTRUNCATE orders;\n-- migrate:down\n`);
    commitAll(dir, 'theirs');
    git(dir, ['checkout', '-q', 'feature']);
    expect(findingTuples(check(dir, '--changed-since', 'main')).map((t) => t.slice(0, 1).concat(t[3]!))).toEqual([
      [`${DIR}/003_mine.sql`, 'no-drop-table'],
      [`${DIR}/003_mine.sql`, 'require-down'],
    ]);
  });

  it('counts staged, unstaged and untracked files; ignored files are not new', () => {
    const dir = repoOnBranch({ '.gitignore': 'scratch/\n' });
    writeFileSync(path.join(dir, DIR, '003_untracked.sql'), `-- migrate:up\nTRUNCATE orders;\n-- migrate:down\nSELECT 1;\n`);
    writeFileSync(path.join(dir, DIR, '004_staged.sql'), `-- migrate:up\nDROP TABLE orders;\n-- migrate:down\nSELECT 1;\n`);
    git(dir, ['add', `${DIR}/004_staged.sql`]);
    mkdirSync(path.join(dir, 'scratch'));
    writeFileSync(path.join(dir, 'scratch', '001_x.sql'), 'DROP TABLE orders;\n');
    const r = check(dir, '--changed-since', 'main', '.');
    expect(findingTuples(r)).toEqual([
      [`${DIR}/003_untracked.sql`, 2, 1, 'no-truncate'],
      [`${DIR}/004_staged.sql`, 2, 1, 'no-drop-table'],
    ]);
  });

  it('paths with spaces, quotes and unicode; run from a subdirectory', () => {
    const odd = 'db/my "mïgrations" ✓';
    const dir = makeRepo({ [`${odd}/001_create.sql`]: CREATE });
    git(dir, ['checkout', '-q', '-b', 'feature']);
    writeFileSync(path.join(dir, odd, '002 drop ö.sql'), `-- migrate:up\nDROP TABLE orders;\n-- migrate:down\nSELECT 1;\n`);
    commitAll(dir, 'odd');
    expect(findingTuples(check(dir, '--changed-since', 'main'))).toEqual([[`${odd}/002 drop ö.sql`, 2, 1, 'no-drop-table']]);
    const sub = path.join(dir, odd);
    expect(findingTuples(check(sub, '--changed-since', 'main'))).toEqual([['002 drop ö.sql', 2, 1, 'no-drop-table']]);
    // From outside the repository, naming the migrations folder.
    const outside = makeTempDir();
    expect(findingTuples(check(outside, '--changed-since', 'main', sub)).map((t) => t[3])).toEqual(['no-drop-table']);
  });

  it('a renamed migration keeps its identity: a pure rename reports nothing, an edit on the way does', () => {
    const dir = repoOnBranch();
    git(dir, ['mv', `${DIR}/002_drop_note.sql`, `${DIR}/002_remove_note.sql`]);
    commitAll(dir, 'rename');
    expect(findingTuples(check(dir, '--changed-since', 'main'))).toEqual([]);
    writeFileSync(path.join(dir, DIR, '002_remove_note.sql'), DROP_NOTE.replace('DROP COLUMN note', 'DROP COLUMN note, DROP COLUMN id'));
    const r = check(dir, '--changed-since', 'main');
    expect(findingTuples(r)).toEqual([
      [`${DIR}/002_remove_note.sql`, 2, 1, 'no-modified-migration'],
      [`${DIR}/002_remove_note.sql`, 2, 20, 'no-drop-column'],
      [`${DIR}/002_remove_note.sql`, 2, 38, 'no-drop-column'],
    ]);
    expect(jsonReport(r).findings.find((f) => f.ruleId === 'no-modified-migration')!.message).toContain(`(renamed from ${DIR}/002_drop_note.sql)`);
  });

  it('a deleted migration is gone and not reported; the rest of the chain is unaffected', () => {
    const dir = repoOnBranch();
    rmSync(path.join(dir, DIR, '002_drop_note.sql'));
    writeFileSync(path.join(dir, DIR, '003_note_not_null.sql'), `-- migrate:up\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n-- migrate:down\nSELECT 1;\n`);
    expect(findingTuples(check(dir, '--changed-since', 'main'))).toEqual([[`${DIR}/003_note_not_null.sql`, 2, 20, 'require-not-null-backfill']]);
  });

  it('file arguments and --changed-since together: the given files that changed', () => {
    const dir = repoOnBranch();
    writeFileSync(path.join(dir, DIR, '003_a.sql'), `-- migrate:up\nTRUNCATE orders;\n-- migrate:down\nSELECT 1;\n`);
    writeFileSync(path.join(dir, DIR, '004_b.sql'), `-- migrate:up\nDROP TABLE orders;\n-- migrate:down\nSELECT 1;\n`);
    expect(findingTuples(check(dir, '--changed-since', 'main', `${DIR}/004_b.sql`, `${DIR}/002_drop_note.sql`))).toEqual([[`${DIR}/004_b.sql`, 2, 1, 'no-drop-table']]);
  });

  it('text output names only the changed files', () => {
    const dir = repoOnBranch();
    writeFileSync(path.join(dir, DIR, '003_a.sql'), `-- migrate:up\nTRUNCATE orders;\n-- migrate:down\nSELECT 1;\n`);
    const r = runCli(['check', '--changed-since', 'main'], { cwd: dir });
    expect(r.stdout).toContain(`${DIR}/003_a.sql:2:1  error  no-truncate`);
    expect(r.stdout).not.toContain('002_drop_note');
    expect(r.stdout).toContain('in 1 migration (1 file)');
  });
});

describe('--changed-since errors: one line, exit 2', () => {
  it('a ref that does not exist', () => {
    const dir = repoOnBranch();
    const r = check(dir, '--changed-since', 'origin/nope');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('migralint: --changed-since origin/nope: no commit "origin/nope" in this repository (a shallow clone needs the history: fetch-depth: 0 in actions/checkout)\n');
  });

  it('a ref that looks like an option is not passed to git as one', () => {
    const dir = repoOnBranch();
    const r = check(dir, '--changed-since=--output=/tmp/x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^migralint: --changed-since --output=\/tmp\/x: "--output=\/tmp\/x" is not a git ref\n$/);
  });

  it('not in a git repository', () => {
    const dir = makeTempDir();
    writeFileSync(path.join(dir, '001_a.sql'), 'SELECT 1;\n');
    const r = check(dir, '--changed-since', 'main');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^migralint: --changed-since main: .* is not in a git work tree \(not a git repository/);
  });

  it('a repository without any commit', () => {
    const dir = makeTempDir();
    git(dir, ['init', '-q', '-b', 'main']);
    writeFileSync(path.join(dir, '001_a.sql'), 'SELECT 1;\n');
    const r = check(dir, '--changed-since', 'main');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^migralint: --changed-since main: no commit "main"/);
  });

  it('unrelated histories', () => {
    const dir = repoOnBranch();
    git(dir, ['checkout', '-q', '--orphan', 'other']);
    commitAll(dir, 'orphan');
    const r = check(dir, '--changed-since', 'main');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('migralint: --changed-since main: "main" and HEAD have no common ancestor (a shallow clone needs the history: fetch-depth: 0 in actions/checkout)\n');
  });
});

describe('SARIF fingerprints under edits above a finding', () => {
  it('primaryLocationLineHash of a finding is unchanged when unrelated lines above it change', () => {
    const dir = makeTempDir();
    const body = 'ALTER TABLE orders DROP COLUMN note;\n';
    writeFileSync(path.join(dir, '001_create.sql'), 'CREATE TABLE orders (id int, note text);\n');
    const sarif = (above: string) => {
      writeFileSync(path.join(dir, '002_drop.sql'), `${above}${body}`);
      const r = runCli(['check', '.', '--format', 'sarif'], { cwd: dir });
      const results = JSON.parse(r.stdout).runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[];
      expect(results).toHaveLength(1);
      return { line: results[0]!.locations[0]!.physicalLocation.region.startLine, fp: results[0]!.partialFingerprints };
    };
    const before = sarif('-- drop the note column\n');
    const after = sarif('-- Drop the note column: nobody reads it since v2.\n-- Reviewed by the DBA team.\n\nSELECT 1;\n');
    expect(before.line).toBe(2);
    expect(after.line).toBe(5);
    expect(after.fp).toEqual(before.fp);
    expect(Object.keys(before.fp)).toEqual(['primaryLocationLineHash']);
    // The finding's own line is what identifies it: editing it gives a new identity.
    writeFileSync(path.join(dir, '002_drop.sql'), 'ALTER TABLE orders DROP COLUMN  note ; -- now\n');
    const edited = JSON.parse(runCli(['check', '.', '--format', 'sarif'], { cwd: dir }).stdout).runs[0].results[0].partialFingerprints;
    expect(edited).not.toEqual(before.fp);
  });
});

