/**
 * Progress of --confirm on stderr: shown when stderr is a terminal (a real pty from util-linux
 * `script`), one line rewritten in place (migration n of N, the file, elapsed) and cleared before
 * the summary; nothing at all when stderr is not a terminal. stdout carries only the report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { dbmate, tree } from './helpers.js';

const SCRIPT = '/usr/bin/script';

function chain(): string {
  return tree({
    'db/migrations/001_users.sql': dbmate('CREATE TABLE users (id bigserial PRIMARY KEY, email text);', 'DROP TABLE users;'),
    'db/migrations/002_index.sql': dbmate('CREATE INDEX users_email_idx ON users (email);', 'DROP INDEX users_email_idx;'),
    'db/migrations/003_note.sql': dbmate('ALTER TABLE users ADD COLUMN note text;', 'ALTER TABLE users DROP COLUMN note;'),
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, MIGRALINT_DEBUG: undefined };

describe('--confirm progress', () => {
  it.skipIf(!existsSync(SCRIPT))('on a terminal: migration n of N, the file and the elapsed time, rewritten in place and cleared', () => {
    const dir = chain();
    const out = path.join(dir, 'report.txt');
    // stderr is the pty; stdout goes to a file, so the captured terminal text is stderr alone.
    const cmd = `stty cols 200; ${quote(process.execPath)} ${quote(BIN)} check --confirm --exit-zero --format json db > ${quote(out)}`;
    const r = spawnSync(SCRIPT, ['-qfec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 230_000, env });
    expect(r.status).toBe(0);
    const tty = r.stdout.replace(/\r\n/g, '\n');
    for (const [n, file] of [[1, '001_users.sql'], [2, '002_index.sql'], [3, '003_note.sql']] as const) {
      expect(tty).toMatch(new RegExp(`\\rmigralint --confirm: migration ${n} of 3: db/migrations/${file.replace('.', '\\.')}, \\d+\\.\\d s elapsed`));
    }
    // The progress line is blanked out before the summary, which starts on a clean line.
    expect(tty).toMatch(/\r {20,}\rConfirmation summary\n/);
    // The report itself is untouched by the progress: valid JSON, no carriage return in it.
    const report = readFileSync(out, 'utf8');
    expect(report).not.toContain('\r');
    expect(JSON.parse(report).findings.some((f: { ruleId: string }) => f.ruleId === 'require-concurrent-index')).toBe(true);
  }, 240_000);

  it('not on a terminal: no progress at all, only the summary on stderr', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', '--confirm', '--exit-zero', '--format', 'json', 'db'], { cwd: chain(), encoding: 'utf8', timeout: 230_000, env });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Confirmation summary\n/);
    expect(r.stderr).not.toContain('migration 1 of');
    expect(r.stderr).not.toContain('\r');
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  }, 240_000);
});
