/**
 * check --confirm through the CLI, as a user runs it: the README's first command on the bundled
 * example (PGlite, no server), SARIF validated against the official 2.1.0 schema, JSON, usage
 * errors and a MySQL set.
 */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, runCli } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';
import { SERVER_URL, dbmate, tree } from './helpers.js';

const CONTRACT_KEYS = new Set(['status', 'evidence', 'locks', 'blocked', 'rewrite', 'error', 'rowsLost', 'valuesChanged', 'durationMs', 'estimate']);

function example(): string {
  const dir = tree({});
  cpSync(path.join(REPO, 'examples', 'shop'), path.join(dir, 'shop'), { recursive: true });
  return dir;
}

describe('migralint check --confirm (CLI)', () => {
  it('the README command: confirms the bundled example on PGlite, evidence under each finding, summary at the end', () => {
    // PGlite boots in the child: allow a loaded machine more than runCli's minute.
    const s = spawnSync(process.execPath, [BIN, 'check', '--confirm', '--exit-zero', 'shop'], { cwd: example(), encoding: 'utf8', timeout: 230_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
    const r = { status: s.status, stdout: s.stdout, stderr: s.stderr };
    expect(r.stderr).toBe(''); // not a TTY: no progress
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/require-not-null-backfill[\s\S]*?\n {2}confirmed on PGlite 18\.\d+ with 1,000 rows in orders: ERROR 23502: column "status" of relation "orders" contains null values/);
    expect(r.stdout).toMatch(/no-drop-column[\s\S]*?\n {2}confirmed on PGlite 18\.\d+ with 1,000 rows in orders: lost \d+ non-null values of orders\.note; took AccessExclusiveLock on orders/);
    expect(r.stdout).toMatch(/require-down[\s\S]*?\n {2}confirmation skipped: a fact about the files/);
    expect(r.stdout).toMatch(/\nConfirmation summary\n {2}shop\/db\/migrations \(PGlite 18\.\d+, [\d,.]+ m?s\)\n {4}migrations applied: 5 of 5; downs verified: 3 \(1 not reversible\)\n/);
    expect(r.stdout).toContain('findings: 5 confirmed, 0 not reproduced, 1 skipped');
    expect(r.stdout).toMatch(/slowest statement: [\d.,]+ ms at shop\/db\/migrations\/\d+_\w+\.sql:\d+: /);
  }, 240_000);

  it('SARIF carries properties.confirmation per the contract and validates against the official schema; the summary goes to stderr', () => {
    const args = ['check', '--confirm', '--format', 'sarif', 'shop', '--seed', '7', ...(SERVER_URL ? ['--database-url', SERVER_URL] : [])];
    const r = runCli(args, { cwd: example() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Confirmation summary\n/);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04.default({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results as { ruleId: string; level: string; message: { text: string }; properties: { confirmation: Record<string, unknown> } }[];
    expect(results.length).toBe(6);
    for (const res of results) {
      const c = res.properties.confirmation;
      expect(['confirmed', 'not-reproduced', 'skipped']).toContain(c.status);
      for (const k of Object.keys(c)) expect(CONTRACT_KEYS.has(k), k).toBe(true);
    }
    const nn = results.find((x) => x.ruleId === 'require-not-null-backfill')!;
    expect(nn.properties.confirmation).toMatchObject({ status: 'confirmed', error: { sqlstate: '23502' } });
    expect(nn.message.text).toMatch(/\n\nConfirmed on (PGlite|PostgreSQL) [\d.]+ with 1,000 rows in orders: ERROR 23502/);
    const idx = results.find((x) => x.ruleId === 'require-concurrent-index')!;
    expect(idx.properties.confirmation.locks).toEqual([{ relation: 'orders', mode: 'ShareLock', blocks: ['writes', 'DDL'] }]);
    const tables = log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    expect(tables).toEqual(expect.arrayContaining(['require-reversible-down', 'migration-fails-with-rows', 'no-lossy-change']));
  }, 240_000);

  it('marks every finding of a MySQL set skipped, with the reason, without a crash', () => {
    const dir = tree({ 'db/migrations/001_t.sql': dbmate('ALTER TABLE users DROP COLUMN email;', 'ALTER TABLE users ADD COLUMN email text;') });
    const r = runCli(['check', '--confirm', '--dialect', 'mysql', '--format', 'json', '.'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { ruleId: string; confirmation: { status: string; evidence: string } }) => [f.ruleId, f.confirmation.status, f.confirmation.evidence])).toEqual([
      ['no-drop-column', 'skipped', 'no driver for MySQL: --confirm replays Postgres (PGlite, or a server with --database-url) and SQLite sets'],
    ]);
    expect(json.confirm[0]).toMatchObject({ driver: 'none (MySQL)', skipped: 1 });
  });

  it('drops a not-reproduced finding to info, which --strict keeps at its level (and exit code)', () => {
    const dir = tree({
      'db/migrations/001_users.sql': dbmate('CREATE TABLE users (id bigserial PRIMARY KEY, status text);', 'DROP TABLE users;'),
      'db/migrations/002_fill.sql': dbmate("UPDATE users SET status = 'active' WHERE id > 0;\nALTER TABLE users ALTER COLUMN status SET NOT NULL;", 'ALTER TABLE users ALTER COLUMN status DROP NOT NULL;'),
    });
    const levels = (extra: string[]) => {
      const r = runCli(['check', '--confirm', '--format', 'json', ...extra, '.'], { cwd: dir });
      const f = JSON.parse(r.stdout).findings.find((x: { ruleId: string }) => x.ruleId === 'require-not-null-backfill');
      return [r.status, f.severity, f.confirmation.status];
    };
    expect(levels([])).toEqual([0, 'info', 'not-reproduced']);
    expect(levels(['--strict'])).toEqual([1, 'error', 'not-reproduced']);
  }, 240_000);

  it.each([
    [['--seed-rows', '10'], 'migralint: --seed-rows needs --confirm\n'],
    [['--confirm', '--seed-rows', 'many'], 'migralint: --seed-rows many: expected a whole number from 0 to 1,000,000\n'],
    [['--confirm', '--statement-timeout', '0'], 'migralint: --statement-timeout 0: expected a number of seconds greater than 0\n'],
    [['--confirm', '--database-url', 'mysql://x'], 'migralint: --database-url: expected a postgres:// or postgresql:// URL\n'],
  ])('usage error: %j', (flags, message) => {
    const dir = tree({ 'db/migrations/001_t.sql': dbmate('CREATE TABLE t (id int);', 'DROP TABLE t;') });
    const r = runCli(['check', ...flags, '.'], { cwd: dir });
    expect(r.stderr).toBe(message);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('an unreachable server is one clear line and exit 2, not a stack trace', () => {
    const dir = tree({ 'db/migrations/001_t.sql': dbmate('CREATE TABLE t (id int);', 'DROP TABLE t;') });
    const r = runCli(['check', '--confirm', '--database-url', 'postgres://postgres:secret@127.0.0.1:1/postgres', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^migralint: --database-url postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres: cannot connect \(.+\)\n$/);
    expect(r.stdout).toBe('');
  });
});
