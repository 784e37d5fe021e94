/**
 * Knex migrations as careful users write them (fixtures/knex/hard-cases), through the CLI:
 * `defaultTo(null)`, raw SQL with static bindings, a down that throws, a down that compiles to
 * nothing, code that dispatches on the client, findings in the down and on builder chains.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, removeTempDirs, runCli } from './helpers/cli.js';

afterAll(removeTempDirs);

const M = 'db/migrations';

describe('fixtures/knex/hard-cases', () => {
  it('fires where it must, at the offending call, and nowhere else', () => {
    const dir = copyFixture('knex/hard-cases');
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      // NOT NULL DEFAULT NULL has no default (the `defaultTo('web')` column beside it is fine).
      [`${M}/20240302100000_event_source.js`, 4, 5, 'require-not-null-backfill'],
      // `??` bindings substituted: the DROP COLUMN is seen (the DELETE with a WHERE is not a finding).
      [`${M}/20240303100000_raw_bindings.js`, 5, 34, 'no-drop-column'],
      // At `.index()` on line 7, not at the start of the chain on line 3; the throwing down is a down.
      [`${M}/20240304100000_kind_index.js`, 7, 10, 'require-concurrent-index'],
      // `knex.schema.table('events', (t) => {})` runs no SQL: the down is empty.
      [`${M}/20240305100000_empty_down.js`, 8, 16, 'require-down'],
      // Only the pg branches count (no drop of `events` from the sqlite3/mssql branches); in the down.
      [`${M}/20240306100000_per_client.js`, 24, 7, 'no-drop-column'],
      // 20240307: SQLite-only in both directions: not an empty down for pg.
    ]);
    const report = jsonReport(r);
    expect(report.findings.find((f) => f.line === 24)!.message).toBe('In the down migration: Dropping column "seen_at" of "events" deletes its data.');
    expect(report.findings.find((f) => f.ruleId === 'require-not-null-backfill')!.message).toContain('"source"');
  });

  it('for a SQLite project the SQLite branches count instead', () => {
    const dir = copyFixture('knex/hard-cases');
    const r = runCli(['check', '--format', 'json', '--dialect', 'sqlite'], { cwd: dir });
    const tuples = findingTuples(r);
    // The sqlite3 branch drops the table; the down's dropColumn is skipped for sqlite3.
    expect(tuples).toContainEqual([`${M}/20240306100000_per_client.js`, 6, 13, 'no-drop-table']);
    expect(tuples.filter(([f]) => f.endsWith('20240306100000_per_client.js')).map((t) => t[3])).toEqual(['no-drop-table', 'require-down']);
    expect(tuples.filter(([f]) => f.endsWith('20240307100000_sqlite_only.js'))).toEqual([]);
  });
});
