/**
 * End to end, one fixture tree per SQL migration layout (fixtures/<format>/basic): the exact
 * findings `migralint check --format json` reports, the exit code, and the order the migrations
 * ran in.
 *
 * Every tree follows the same story, written the way its tool writes files:
 *   1. create `users` and `audit_log`, index `users` in the same migration (new table: no finding);
 *      the down drops what the up created (no finding);
 *   2. add `status` NOT NULL with a constant DEFAULT (no finding), add `nickname`, backfill it;
 *   3. SET NOT NULL on `nickname` (no finding, *because 2 ran first*), drop `legacy_name`, add a
 *      NOT NULL column without a default, index an existing table, and one suppressed statement;
 *   4. (where the tool has a no-transaction switch) CREATE INDEX CONCURRENTLY outside a
 *      transaction (no finding).
 * Step 3's SET NOT NULL makes the order observable: if the backfill ran after it, it would be
 * reported. The "reordered" case of each tree renames the backfill migration so the framework
 * runs it later, and checks that exactly that finding appears.
 */
import { cpSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, type FindingTuple } from './helpers/cli.js';

afterAll(removeTempDirs);

interface TreeCase {
  readonly format: string;
  readonly migrations: number;
  readonly exit: number;
  readonly findings: FindingTuple[];
  /** Renames (relative to the tree) that move the backfill migration after step 3. */
  readonly reorder: [from: string, to: string][];
  /** The finding the reordered chain adds. */
  readonly reorderedFinding: FindingTuple;
}

const CASES: TreeCase[] = [
  {
    format: 'sql',
    migrations: 4,
    exit: 1,
    findings: [
      ['migrations/10_tighten_users.sql', 3, 19, 'no-drop-column'],
      ['migrations/10_tighten_users.sql', 4, 19, 'require-not-null-backfill'],
      ['migrations/10_tighten_users.sql', 5, 1, 'require-concurrent-index'],
      // A next-line directive above a CREATE TABLE: it suppresses nothing.
      ['migrations/10_tighten_users.sql', 8, 1, 'unused-disable'],
      ['migrations/11_purge_audit_log.sql', 1, 1, 'no-truncate'],
      ['migrations/11_purge_audit_log.sql', 2, 1, 'no-drop-table'],
    ],
    // Natural order puts 2_ before 10_; 20_ comes after.
    reorder: [['migrations/2_add_nickname.sql', 'migrations/20_add_nickname.sql']],
    reorderedFinding: ['migrations/10_tighten_users.sql', 2, 19, 'require-not-null-backfill'],
  },
  {
    format: 'dbmate',
    migrations: 4,
    exit: 1,
    findings: [
      ['db/migrations/20240103090000_tighten_users.sql', 4, 19, 'no-drop-column'],
      ['db/migrations/20240103090000_tighten_users.sql', 5, 19, 'require-not-null-backfill'],
      ['db/migrations/20240103090000_tighten_users.sql', 6, 1, 'require-concurrent-index'],
      // The suppressed TRUNCATE is in 20240103090000; this one (transaction:false file) is not.
      ['db/migrations/20240104090000_index_audit_log.sql', 3, 1, 'no-truncate'],
    ],
    reorder: [['db/migrations/20240102090000_add_nickname.sql', 'db/migrations/20240105090000_add_nickname.sql']],
    reorderedFinding: ['db/migrations/20240103090000_tighten_users.sql', 3, 19, 'require-not-null-backfill'],
  },
  {
    format: 'goose',
    migrations: 4,
    exit: 1,
    findings: [
      ['migrations/00003_tighten_users.sql', 4, 19, 'no-drop-column'],
      ['migrations/00003_tighten_users.sql', 5, 19, 'require-not-null-backfill'],
      ['migrations/00003_tighten_users.sql', 6, 1, 'require-concurrent-index'],
      // `-- +goose Down` with nothing under it.
      ['migrations/00003_tighten_users.sql', 10, 1, 'require-down'],
      ['migrations/00004_index_audit_log.sql', 4, 1, 'no-truncate'],
    ],
    reorder: [['migrations/00002_add_nickname.sql', 'migrations/00005_add_nickname.sql']],
    reorderedFinding: ['migrations/00003_tighten_users.sql', 3, 19, 'require-not-null-backfill'],
  },
  {
    format: 'sql-migrate',
    migrations: 4,
    exit: 1,
    findings: [
      ['migrations/10_tighten_users.sql', 4, 19, 'no-drop-column'],
      // require-not-null-backfill on line 6 is suppressed.
      ['migrations/10_tighten_users.sql', 7, 1, 'require-concurrent-index'],
      ['migrations/10_tighten_users.sql', 8, 1, 'no-truncate'],
    ],
    // sql-migrate compares the numeric prefixes: 2 before 10 (as strings, "10_" < "2_").
    reorder: [['migrations/2_add_nickname.sql', 'migrations/20_add_nickname.sql']],
    reorderedFinding: ['migrations/10_tighten_users.sql', 3, 19, 'require-not-null-backfill'],
  },
  {
    format: 'golang-migrate',
    migrations: 4,
    exit: 1,
    findings: [
      // 10 has an up file and no down file.
      ['db/migrations/10_tighten_users.up.sql', 1, 1, 'require-down'],
      ['db/migrations/10_tighten_users.up.sql', 3, 19, 'no-drop-column'],
      ['db/migrations/10_tighten_users.up.sql', 4, 19, 'require-not-null-backfill'],
      // require-concurrent-index on line 6 is suppressed.
      ['db/migrations/10_tighten_users.up.sql', 7, 1, 'no-truncate'],
    ],
    // golang-migrate compares version numbers: 9 before 10 (as strings, "10_" < "9_").
    reorder: [
      ['db/migrations/9_add_nickname.up.sql', 'db/migrations/19_add_nickname.up.sql'],
      ['db/migrations/9_add_nickname.down.sql', 'db/migrations/19_add_nickname.down.sql'],
    ],
    reorderedFinding: ['db/migrations/10_tighten_users.up.sql', 2, 19, 'require-not-null-backfill'],
  },
  {
    format: 'diesel',
    migrations: 5,
    exit: 1,
    findings: [
      // down.sql holds only diesel's generated comment.
      ['migrations/2024-01-03-000000_tighten_users/down.sql', 1, 1, 'require-down'],
      ['migrations/2024-01-03-000000_tighten_users/up.sql', 4, 19, 'no-drop-column'],
      ['migrations/2024-01-03-000000_tighten_users/up.sql', 5, 19, 'require-not-null-backfill'],
      ['migrations/2024-01-03-000000_tighten_users/up.sql', 6, 1, 'require-concurrent-index'],
    ],
    reorder: [['migrations/2024-01-02-000000_add_nickname', 'migrations/2024-01-05-000000_add_nickname']],
    reorderedFinding: ['migrations/2024-01-03-000000_tighten_users/up.sql', 3, 19, 'require-not-null-backfill'],
  },
  {
    format: 'prisma',
    migrations: 3,
    exit: 1,
    findings: [
      ['prisma/migrations/20240103000000_tighten_users/migration.sql', 10, 20, 'no-drop-column'],
      ['prisma/migrations/20240103000000_tighten_users/migration.sql', 11, 1, 'require-not-null-backfill'],
      ['prisma/migrations/20240103000000_tighten_users/migration.sql', 15, 1, 'require-concurrent-index'],
    ],
    reorder: [['prisma/migrations/20240102000000_add_nickname', 'prisma/migrations/20240104000000_add_nickname']],
    reorderedFinding: ['prisma/migrations/20240103000000_tighten_users/migration.sql', 12, 1, 'require-not-null-backfill'],
  },
  {
    format: 'flyway',
    migrations: 3,
    exit: 1,
    findings: [
      // U2 exists, so undo is in use: V1 and V1.1 lack one.
      ['src/main/resources/db/migration/V1.1__add_nickname.sql', 1, 1, 'require-down'],
      ['src/main/resources/db/migration/V1__init.sql', 1, 1, 'require-down'],
      ['src/main/resources/db/migration/V2__tighten_users.sql', 3, 19, 'no-drop-column'],
      ['src/main/resources/db/migration/V2__tighten_users.sql', 4, 19, 'require-not-null-backfill'],
      ['src/main/resources/db/migration/V2__tighten_users.sql', 5, 1, 'require-concurrent-index'],
    ],
    // Flyway compares versions: 1 < 1.1 < 2 (as strings, "V1.1__" < "V1__").
    reorder: [['src/main/resources/db/migration/V1.1__add_nickname.sql', 'src/main/resources/db/migration/V2.1__add_nickname.sql']],
    reorderedFinding: ['src/main/resources/db/migration/V2__tighten_users.sql', 2, 19, 'require-not-null-backfill'],
  },
];

const byPosition = (a: FindingTuple, b: FindingTuple): number =>
  (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);

describe.each(CASES)('fixtures/$format/basic', (c) => {
  it('reports exactly the dangerous statements, in report order, and exits ' + c.exit, () => {
    const tree = copyFixture(`${c.format}/basic`);
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual(c.findings);
    expect(r.status).toBe(c.exit);
    const report = jsonReport(r);
    expect(report.fileProblems).toEqual([]);
    expect(report.summary).toMatchObject({
      sets: 1,
      migrations: c.migrations,
      errors: c.findings.filter(([, , , id]) => !['require-down', 'unused-disable'].includes(id)).length,
      warnings: c.findings.filter(([, , , id]) => ['require-down', 'unused-disable'].includes(id)).length,
    });
  });

  it('runs the chain in the framework order: moving the backfill later reports the SET NOT NULL', () => {
    const tree = copyFixture(`${c.format}/basic`);
    for (const [from, to] of c.reorder) renameSync(path.join(tree, from), path.join(tree, to));
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    const renamed = (file: string): string => {
      for (const [from, to] of c.reorder) if (file === from || file.startsWith(`${from}/`)) return to + file.slice(from.length);
      return file;
    };
    const expected = [...c.findings.map(([f, l, col, id]): FindingTuple => [renamed(f), l, col, id]), c.reorderedFinding].sort(byPosition);
    expect([...findingTuples(r)].sort(byPosition)).toEqual(expected);
  });
});

describe('paths and labels', () => {
  it('reports paths relative to the working directory when the tree is given as an argument', () => {
    const parent = makeTempDir();
    cpSync(path.join(FIXTURES, 'golang-migrate/basic'), path.join(parent, 'service'), { recursive: true });
    const r = runCli(['check', 'service', '--format', 'json'], { cwd: parent });
    expect(r.status).toBe(1);
    const report = jsonReport(r);
    expect(report.findings.map((f) => f.file)).toEqual(Array(4).fill('service/db/migrations/10_tighten_users.up.sql'));
    // A finding names its set and the migration's version.
    expect(new Set(report.findings.map((f) => f.migration))).toEqual(new Set(['service/db/migrations#10']));
  });

  it('lints a single migration file given on the command line', () => {
    const tree = copyFixture('dbmate/basic');
    const r = runCli(['check', 'db/migrations/20240104090000_index_audit_log.sql', '--format', 'json'], { cwd: tree });
    // Alone, audit_log is a table the chain never created: the TRUNCATE is still reported.
    expect(findingTuples(r)).toEqual([['db/migrations/20240104090000_index_audit_log.sql', 3, 1, 'no-truncate']]);
    expect(r.status).toBe(1);
  });

  it('lints a single file in the context of its chain, reporting only that file', () => {
    const tree = copyFixture('golang-migrate/basic');
    const r = runCli(['check', 'db/migrations/10_tighten_users.up.sql', '--format', 'json'], { cwd: tree });
    // SET NOT NULL on nickname (line 2) is safe because 9_add_nickname backfilled it: only the
    // chain tells. Findings of the other migrations are not reported.
    expect(findingTuples(r)).toEqual([
      ['db/migrations/10_tighten_users.up.sql', 1, 1, 'require-down'],
      ['db/migrations/10_tighten_users.up.sql', 3, 19, 'no-drop-column'],
      ['db/migrations/10_tighten_users.up.sql', 4, 19, 'require-not-null-backfill'],
      ['db/migrations/10_tighten_users.up.sql', 7, 1, 'no-truncate'],
    ]);
    // An up file with a down beside it is not missing its down.
    const withDown = runCli(['check', 'db/migrations/9_add_nickname.up.sql', '--format', 'json'], { cwd: tree });
    expect(findingTuples(withDown)).toEqual([]);
    expect(withDown.status).toBe(0);
  });

  it('lints several trees in one run, each with its own format', () => {
    const parent = makeTempDir();
    for (const f of ['goose', 'flyway']) cpSync(path.join(FIXTURES, f, 'basic'), path.join(parent, f), { recursive: true });
    const r = runCli(['check', 'goose', 'flyway', '--format', 'json'], { cwd: parent });
    const report = jsonReport(r);
    expect(report.summary.sets).toBe(2);
    const prefixed = (format: string): FindingTuple[] =>
      CASES.find((c) => c.format === format)!.findings.map(([f, l, col, id]): FindingTuple => [`${format}/${f}`, l, col, id]);
    expect([...findingTuples(report)].sort(byPosition)).toEqual([...prefixed('goose'), ...prefixed('flyway')].sort(byPosition));
  });
});

describe('summary of a single-file run', () => {
  it('counts the given migration, not the chain read for context', () => {
    const tree = copyFixture('golang-migrate/basic');
    const r = runCli(['check', 'db/migrations/9_add_nickname.up.sql'], { cwd: tree });
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✔ No problems in 1 migration (2 files)');
  });
});
