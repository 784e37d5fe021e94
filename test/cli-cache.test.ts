/**
 * `check --cache` (src/cache/): a second run takes the Postgres parser's outcomes from the cache
 * and reports exactly what a run without it reports; an edited file is parsed again; a damaged,
 * forged or unwritable cache never changes the report or the exit code.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(() => removeTempDirs());

/** A chain of plain SQL migrations: tables, then changes the rules have a say about. */
function project(): string {
  const dir = makeTempDir('migralint-cache-');
  writeTree(dir, {
    'migrations/001_users.sql': "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCOMMENT ON TABLE users IS 'ünïcödé 😀';\n",
    'migrations/002_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nINSERT INTO users (id, email) VALUES (1, $$a@b$$);\n',
    'migrations/003_index.sql': 'CREATE INDEX orders_user ON orders (user_id);\nALTER TABLE users ADD COLUMN name text NOT NULL;\n',
    'migrations/004_broken.sql': 'ALTER TABLE orders ADD COLUMN total integer NOT NULL DEFAULT;\nDROP TABLE orders;\n',
  });
  return dir;
}

const debug = { MIGRALINT_DEBUG: '1' };
const check = (dir: string, ...extra: string[]) => runCli(['check', 'migrations', '--format', 'json', ...extra], { cwd: dir, env: debug });
const fromCache = (stderr: string): string | undefined => /parse cache: (\d+ of \d+) Postgres sections/.exec(stderr)?.[1];
const chainFromCache = (stderr: string): string | undefined => /chain state: (\d+ of \d+ from the cache, \d+) migrations not walked again/.exec(stderr)?.[1];

describe('check --cache', () => {
  it('reports on the second run, from the cache, what a run without it reports', () => {
    const dir = project();
    const plain = runCli(['check', 'migrations', '--format', 'json'], { cwd: dir });
    expect(plain.status).toBe(1);
    const first = check(dir, '--cache');
    expect(fromCache(first.stderr)).toBe('0 of 4');
    const second = check(dir, '--cache');
    expect(fromCache(second.stderr)).toBe('4 of 4');
    for (const run of [first, second]) {
      expect(run.stdout).toBe(plain.stdout);
      expect(run.status).toBe(1);
    }
    const ruleIds = (JSON.parse(second.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ruleIds).toEqual(expect.arrayContaining(['syntax-error', 'require-concurrent-index', 'require-not-null-backfill', 'no-drop-table']));
    // Git never sees the cache.
    expect(readFileSync(path.join(dir, '.migralint-cache', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('parses an edited migration again', () => {
    const dir = project();
    check(dir, '--cache');
    writeFileSync(path.join(dir, 'migrations/002_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nTRUNCATE users;\n');
    const after = check(dir, '--cache');
    expect(fromCache(after.stderr)).toBe('3 of 4');
    expect(after.stdout).toBe(runCli(['check', 'migrations', '--format', 'json'], { cwd: dir }).stdout);
    expect(after.stdout).toContain('"no-truncate"');
  });

  it('takes the context of a run over one file (a pre-commit hook) from the cache', () => {
    const dir = project();
    const plain = runCli(['check', 'migrations/004_broken.sql', '--format', 'json'], { cwd: dir });
    const run = () => runCli(['check', 'migrations/004_broken.sql', '--format', 'json', '--cache'], { cwd: dir, env: debug });
    const first = run();
    expect(fromCache(first.stderr)).toBe('0 of 4');
    expect(chainFromCache(first.stderr)).toBe('0 of 1 from the cache, 0');
    // The schema the three earlier migrations build is kept: they are neither parsed nor walked.
    const cached = run();
    expect(fromCache(cached.stderr)).toBe('1 of 1');
    expect(chainFromCache(cached.stderr)).toBe('1 of 1 from the cache, 3');
    expect(cached.stdout).toBe(plain.stdout);
    expect(cached.stdout).toContain('"no-drop-table"');
    // What the earlier migrations were parsed into is not kept beside the state that stands for it.
    const kept = JSON.parse(readFileSync(path.join(dir, '.migralint-cache', 'parse.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(kept.files).map((p) => path.basename(p))).toEqual(['004_broken.sql']);
    // The chain's earlier migrations are parsed again by a run that reports on them (with the
    // ASTs their rules read), once.
    const whole = check(dir, '--cache');
    expect(fromCache(whole.stderr)).toBe('1 of 4');
    expect(chainFromCache(whole.stderr)).toBeUndefined();
    expect(whole.stdout).toBe(runCli(['check', 'migrations', '--format', 'json'], { cwd: dir }).stdout);
    expect(fromCache(check(dir, '--cache').stderr)).toBe('4 of 4');
    expect(fromCache(run().stderr)).toBe('1 of 1');
  });

  it("walks the chain again from an edited migration on, and resumes a state kept for the chain's first migrations", () => {
    const dir = makeTempDir('migralint-cache-');
    writeTree(dir, {
      'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
      'migrations/002_fill.sql': "INSERT INTO users (id, email) VALUES (1, 'a@b');\n",
      'migrations/003_name.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
      'migrations/004_strict.sql': 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n',
    });
    const target = 'migrations/004_strict.sql';
    const run = () => runCli(['check', target, '--format', 'json', '--cache'], { cwd: dir, env: debug });
    const plain = () => runCli(['check', target, '--format', 'json'], { cwd: dir }).stdout;
    const rules = (stdout: string) => (JSON.parse(stdout) as { findings: { ruleId: string; line: number; column: number }[] }).findings.map((f) => `${f.ruleId} ${f.line}:${f.column}`);
    run();
    const kept = run();
    expect(chainFromCache(kept.stderr)).toBe('1 of 1 from the cache, 3');
    // The column was added to a table with rows and never filled.
    expect(rules(kept.stdout)).toEqual(['require-not-null-backfill 1:19']);
    expect(kept.stdout).toBe(plain());
    // An earlier migration now fills the column: the kept state no longer stands for the chain.
    writeFileSync(path.join(dir, 'migrations/003_name.sql'), "ALTER TABLE users ADD COLUMN name text;\nUPDATE users SET name = '';\n");
    const edited = run();
    expect(chainFromCache(edited.stderr)).toBe('0 of 1 from the cache, 0');
    expect(rules(edited.stdout)).toEqual([]);
    expect(edited.stdout).toBe(plain());
    // A migration added after the target: the state the last run kept still stands.
    writeFileSync(path.join(dir, 'migrations/005_more.sql'), 'DROP TABLE users;\n');
    expect(chainFromCache(run().stderr)).toBe('1 of 1 from the cache, 3');
    // The next migration: the walk resumes after the three and applies only 004.
    const next = runCli(['check', 'migrations/005_more.sql', '--format', 'json', '--cache'], { cwd: dir, env: debug });
    expect(chainFromCache(next.stderr)).toBe('1 of 1 from the cache, 3');
    expect(next.stdout).toBe(runCli(['check', 'migrations/005_more.sql', '--format', 'json'], { cwd: dir }).stdout);
    expect(rules(next.stdout)).toEqual(['no-drop-table 1:1']);
    const again = runCli(['check', 'migrations/005_more.sql', '--format', 'json', '--cache'], { cwd: dir, env: debug });
    expect(chainFromCache(again.stderr)).toBe('1 of 1 from the cache, 4');
    expect(again.stdout).toBe(next.stdout);
  });

  it('gives up a kept chain state that is damaged or forged', () => {
    const dir = project();
    const target = 'migrations/004_broken.sql';
    const run = () => runCli(['check', target, '--format', 'json', '--cache'], { cwd: dir, env: debug });
    const plain = runCli(['check', target, '--format', 'json'], { cwd: dir });
    run();
    const file = path.join(dir, '.migralint-cache', 'parse.json');
    type Chain = { hash: string; length: number; state: string; sum: string };
    type State = { tables: unknown[]; marked: unknown[] };
    const good = JSON.parse(readFileSync(file, 'utf8')) as { chains: Chain[] };
    expect(good.chains).toHaveLength(1);
    const forged = (edit: (c: Chain) => Chain): string => JSON.stringify({ ...good, chains: good.chains.map(edit) });
    const resum = (c: Chain, state: string): Chain => ({ ...c, state, sum: createHash('sha1').update(state).digest('hex') });
    const forgeries: [string, string][] = [
      ['a state edited by hand', forged((c) => ({ ...c, state: c.state.replace('"users"', '"userz"') }))],
      ['a state for another chain', forged((c) => ({ ...c, hash: c.hash.replace(/^./, (x) => (x === '0' ? '1' : '0')) }))],
      ['a state longer than the chain before the file', forged((c) => ({ ...c, length: 9 }))],
      ['a state that is not JSON, with its checksum', forged((c) => resum(c, '{"tables":'))],
      ['a state with an unknown marker, with its checksum', forged((c) => resum(c, c.state.replace('"\\u0000M"', '"\\u0000Q"')))],
      ['a state of another shape, with its checksum', forged((c) => resum(c, '{"tables":5}'))],
      // Well-formed, checksum recomputed, the outer shape right: what is inside is refused too.
      ...(
        [
          ["a table's columns that are not a Map", (st: State) => void (st.tables[2] = { ...(st.tables[2] as object), columns: {} })],
          ['a table that is a number', (st: State) => void (st.tables[2] = 5)],
          ['a table that is null', (st: State) => void (st.tables[2] = null)],
          ['marks on a number', (st: State) => void (st.marked = ['\u0000S', 5])],
          ['marks on null', (st: State) => void (st.marked = ['\u0000S', null])],
        ] as [string, (st: State) => void][]
      ).map(([what, edit]): [string, string] => [`${what}, with its checksum`, forged((c) => {
        const st = JSON.parse(c.state) as State;
        edit(st);
        return resum(c, JSON.stringify(st));
      })]),
      ['chains that are not a list', JSON.stringify({ ...good, chains: { a: 1 } })],
    ];
    for (const [what, text] of forgeries) {
      writeFileSync(file, text);
      const r = run();
      expect(chainFromCache(r.stderr), what).toBe('0 of 1 from the cache, 0');
      expect(r.stdout, what).toBe(plain.stdout);
      expect(r.status, what).toBe(1);
      expect(r.stderr, what).not.toMatch(/at .*\.js:\d+|TypeError|SyntaxError/);
    }
  });

  it('is given up where it is damaged or forged: the report is the one without it', () => {
    const dir = project();
    const plain = runCli(['check', 'migrations', '--format', 'json'], { cwd: dir });
    check(dir, '--cache');
    const file = path.join(dir, '.migralint-cache', 'parse.json');
    type Entry = { json: string; asts: unknown[]; sum: string };
    const good = JSON.parse(readFileSync(file, 'utf8')) as { key: string; files: Record<string, { hash: string; sections: Record<string, Entry> }> };
    /** An entry with the checksum parse-cache.ts computes (sha1 of the JSON and each AST, NUL before each). */
    const resummed = (e: Entry): Entry => {
      const h = createHash('sha1').update(e.json);
      if (e.asts === null) h.update('\0-');
      else for (const a of e.asts) h.update(a === null ? '\0\x01' : `\0${String(a)}`);
      return { ...e, sum: h.digest('hex') };
    };
    /** The cache with every entry's JSON (or ASTs) changed by `edit`, which must change something. */
    const forged = (edit: (e: Entry) => Entry): string => {
      const files = Object.fromEntries(Object.entries(good.files).map(([p, f]) => [p, { ...f, sections: Object.fromEntries(Object.entries(f.sections).map(([k, e]) => {
        const changed = edit(e);
        expect(JSON.stringify(changed)).not.toBe(JSON.stringify(e));
        return [k, changed];
      })) }]));
      return JSON.stringify({ ...good, files });
    };
    const forgeries: [string, string][] = [
      ['not JSON', '{"key": "mig'],
      ['another build', JSON.stringify({ ...good, key: 'migralint 0.0.0' })],
      ['a span past the end', forged((e) => ({ ...e, json: e.json.replace(/"end":(\d+)/, '"end":99999') }))],
      ['an unknown marker', forged((e) => ({ ...e, json: e.json.replace('"\\u0000f0"', '"\\u0000z0"') }))],
      ['a file that is not there', forged((e) => ({ ...e, json: e.json.replace('"\\u0000f0"', '"\\u0000f7"') }))],
      ['a reference to nothing', forged((e) => ({ ...e, json: e.json.replace(/"\\u0000r\d+"/, '"\\u0000r99999"') }))],
      ['ASTs that are not JSON', forged((e) => ({ ...e, asts: e.asts.map(() => '{') }))],
      // Well-formed, every span in the file, but not what lowering writes: the checksum rejects it.
      ['statements without their operations', forged((e) => ({ ...e, json: e.json.replace(/"ops":\[/g, '"opz":[') }))],
      ['a statement that is a number', forged((e) => ({ ...e, json: e.json.replace('"statements":[', '"statements":[5,') }))],
      ['no checksum', forged(({ sum: _sum, ...e }) => e as Entry)],
      ['the checksum of another entry', forged((e) => ({ ...e, sum: e.sum.replace(/^./, (c) => (c === '0' ? '1' : '0')) }))],
      // Checksum recomputed, every span in the file, an operation's table a number: the run that
      // trips on it is made again without the cache.
      // (The walk trips on the first such section it takes from the cache: `fromCache` below counts 1 lookup.)
      ['an operation whose table is a number, with its checksum', forged((e) => resummed({ ...e, json: e.json.replace(/"table":\{[^}]*\}/, '"table":5') }))],
    ];
    for (const [what, text] of forgeries) {
      writeFileSync(file, text);
      const run = check(dir, '--cache');
      // No entry is taken from it: every section is parsed again.
      expect(fromCache(run.stderr), what).toBe(what.startsWith('an operation whose table') ? '0 of 1' : '0 of 4');
      expect(run.stdout, what).toBe(plain.stdout);
      expect(run.status, what).toBe(1);
      expect(run.stderr, what).not.toMatch(/at .*\.js:\d+|TypeError|SyntaxError/);
    }
  });

  it('says in one line that it cannot be written, and still reports', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'not-a-dir'), 'a file');
    const plain = runCli(['check', 'migrations', '--format', 'json'], { cwd: dir });
    const run = runCli(['check', 'migrations', '--format', 'json', '--cache', '--cache-location', 'not-a-dir/cache'], { cwd: dir });
    expect(run.stdout).toBe(plain.stdout);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toBe(`migralint: cannot write the cache in ${path.join(dir, 'not-a-dir', 'cache')}: a part of the path is a file, not a directory\n`);
  });

  it('is kept where --cache-location says, and only with --cache', () => {
    const dir = project();
    expect(check(dir, '--cache', '--cache-location', 'tmp/lint-cache').status).toBe(1);
    expect(existsSync(path.join(dir, 'tmp/lint-cache/parse.json'))).toBe(true);
    expect(existsSync(path.join(dir, '.migralint-cache'))).toBe(false);
    const usage = runCli(['check', 'migrations', '--cache-location', 'x'], { cwd: dir });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--cache-location needs --cache/);
    // Without --cache nothing is written.
    check(dir);
    expect(existsSync(path.join(dir, '.migralint-cache'))).toBe(false);
  });

  describe('links and FIFOs a repository plants where the cache goes', () => {
    const SENTINEL = 'sentinel: must stay as it is\n';

    it('a cache directory that is a link elsewhere is neither written nor read', () => {
      const dir = project();
      const elsewhere = makeTempDir('migralint-cache-elsewhere-');
      symlinkSync(elsewhere, path.join(dir, '.migralint-cache'));
      const plain = runCli(['check', 'migrations', '--format', 'json'], { cwd: dir });
      const run = runCli(['check', 'migrations', '--format', 'json', '--cache'], { cwd: dir });
      expect(run.stdout).toBe(plain.stdout);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^migralint: cannot write the cache in .*\.migralint-cache: it is a symbolic link or not a directory: not written\n$/);
      expect(readdirSync(elsewhere)).toEqual([]);
    });

    it('files in it that are links are replaced, not written through', () => {
      const dir = project();
      const outside = makeTempDir('migralint-cache-outside-');
      for (const name of ['gitignore-target', 'parse-target']) writeFileSync(path.join(outside, name), SENTINEL);
      mkdirSync(path.join(dir, '.migralint-cache'));
      symlinkSync(path.join(outside, 'gitignore-target'), path.join(dir, '.migralint-cache', '.gitignore'));
      symlinkSync(path.join(outside, 'parse-target'), path.join(dir, '.migralint-cache', 'parse.json'));
      const first = check(dir, '--cache');
      expect(first.status).toBe(1);
      expect(fromCache(first.stderr)).toBe('0 of 4');
      for (const name of ['gitignore-target', 'parse-target']) expect(readFileSync(path.join(outside, name), 'utf8')).toBe(SENTINEL);
      for (const name of ['.gitignore', 'parse.json']) expect(lstatSync(path.join(dir, '.migralint-cache', name)).isFile()).toBe(true);
      expect(fromCache(check(dir, '--cache').stderr)).toBe('4 of 4');
    });

    it('a FIFO in place of the cache file is not waited on', () => {
      const dir = project();
      mkdirSync(path.join(dir, '.migralint-cache'));
      execFileSync('mkfifo', [path.join(dir, '.migralint-cache', 'parse.json')]);
      const plain = runCli(['check', 'migrations', '--format', 'json'], { cwd: dir });
      const run = check(dir, '--cache');
      expect(run.stdout).toBe(plain.stdout);
      expect(fromCache(run.stderr)).toBe('0 of 4');
      expect(lstatSync(path.join(dir, '.migralint-cache', 'parse.json')).isFile()).toBe(true);
    });
  });
});
