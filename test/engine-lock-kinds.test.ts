/**
 * ACCESS_EXCLUSIVE_KINDS (rule-support) must list every operation kind blockingLock can give an
 * ACCESS EXCLUSIVE lock for, and only those: a rule files earlier operations by these kinds, so a
 * kind missing here would hide a lock from it. Checked over the operations the Postgres lowering
 * makes of statements that take every lock mode, and of every SQL fixture of the project.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_EXCLUSIVE_KINDS, blockingLock } from '../src/engine/rule-support.js';
import type { RuleContext } from '../src/engine/rule.js';
import type { Operation, OperationKind } from '../src/model.js';
import { loadParser } from '../src/sql/parser.js';
import { parsePostgresSection } from '../src/sql/postgres.js';
import { REPO } from './helpers/cli.js';

const STATEMENTS = [
  'ALTER TABLE t ADD COLUMN c int;',
  'ALTER TABLE t DROP COLUMN c;',
  'ALTER TABLE t RENAME COLUMN a TO b;',
  'ALTER TABLE t ALTER COLUMN c SET NOT NULL;',
  'ALTER TABLE t ALTER COLUMN c DROP NOT NULL;',
  'ALTER TABLE t ALTER COLUMN c SET DEFAULT 1;',
  'ALTER TABLE t ALTER COLUMN c TYPE bigint;',
  'ALTER TABLE t DROP CONSTRAINT k;',
  'ALTER TABLE t RENAME TO u;',
  'DROP TABLE t;',
  'TRUNCATE t;',
  'ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0);',
  'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES u (id);',
  'ALTER TABLE t VALIDATE CONSTRAINT k;',
  'CREATE INDEX i ON t (c);',
  'CREATE INDEX CONCURRENTLY i ON t (c);',
  'DROP INDEX i;',
  'DROP INDEX CONCURRENTLY i;',
  'REINDEX INDEX i;',
  'REINDEX TABLE t;',
  'VACUUM FULL t;',
  'VACUUM t;',
  'CLUSTER t USING i;',
  'ALTER TABLE t DETACH PARTITION p;',
  'ALTER TABLE t DETACH PARTITION p CONCURRENTLY;',
  'LOCK TABLE t IN ACCESS EXCLUSIVE MODE;',
  'LOCK TABLE t IN SHARE MODE;',
  'UPDATE t SET c = 1;',
  'CREATE TABLE n (id int);',
];

/** Every `.sql` file under `dir`. */
function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sqlFiles(p);
    return p.endsWith('.sql') ? [p] : [];
  });
}

function operationsOf(text: string): Operation[] {
  const file = { path: '/x.sql', relPath: 'x.sql', text };
  return parsePostgresSection({ file, start: 0, end: text.length }).statements.flatMap((s) => s.ops);
}

/** A context whose schema knows every index (on table `t`): DROP INDEX and REINDEX INDEX find their table. */
const ctx = { schema: { index: () => ({ table: { name: 't' } }) } } as unknown as RuleContext;

beforeAll(async () => {
  await loadParser('postgres');
});

describe('ACCESS_EXCLUSIVE_KINDS', () => {
  it('holds every kind blockingLock gives ACCESS EXCLUSIVE for, and each of them can', () => {
    const ops = [...operationsOf(STATEMENTS.join('\n')), ...sqlFiles(path.join(REPO, 'fixtures')).flatMap((f) => operationsOf(readFileSync(f, 'utf8')))];
    const exclusive = new Set<OperationKind>();
    for (const op of ops) if (blockingLock(op, ctx)?.mode === 'ACCESS EXCLUSIVE') exclusive.add(op.kind);
    expect([...exclusive].sort()).toEqual([...ACCESS_EXCLUSIVE_KINDS].sort());
  });
});
