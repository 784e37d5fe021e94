/**
 * Backfills written with the Knex query builder are judged like the same UPDATEs in SQL: the
 * where-calls are read as the WHERE clause (src/sources/knex/where-predicate.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, removeTempDirs, runCli } from './helpers/cli.js';

afterAll(removeTempDirs);

describe('knex where-calls in backfills', () => {
  it('complementary where/whereNot updates prove NOT NULL; updates that leave rows out do not', () => {
    const dir = copyFixture('knex/where-backfill');
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([['migrations/20240403100000_plan_required.js', 6, 5, 'require-not-null-backfill']]);
    expect(jsonReport(r).findings[0]!.message).toContain('an earlier UPDATE sets the column, but no earlier statement of this migration is known to fill every row');
  });
});
