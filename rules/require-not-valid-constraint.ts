import { defineRule, tableName } from '../src/engine/rule.js';
import { inTransaction, lastTransaction, opsOfKindKeyed, transactionIndices } from '../src/engine/rule-support.js';
import { contentEnd, nameAfter, suggestion } from '../src/fix/sql-edits.js';
import type { Fix, Operation, Span, Statement } from '../src/model.js';

export default defineRule({
  meta: {
    id: 'require-not-valid-constraint',
    description: 'A CHECK or FOREIGN KEY added to an existing table without NOT VALID scans every row under a lock that blocks writes; VALIDATE in the same transaction as the NOT VALID add keeps that lock.',
    help: 'Add the constraint with NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (a later migration).',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
    fixable: true,
  },
  operationKinds: ['add-column', 'add-constraint', 'validate-constraint'],
  checkOperation(op, ctx) {
    if (op.kind === 'add-column' && op.column.references && ctx.dialect === 'postgres') {
      if (ctx.schema.isNewTable(op.table, ctx.migration.id) || ctx.schema.holdsNoRows(op.table, ctx.migration.id)) return;
      ctx.report({
        span: op.span,
        message: `Adding "${tableName(op.table)}"."${op.column.name}" with REFERENCES validates the new foreign key at once, under a SHARE ROW EXCLUSIVE lock on the table and on the referenced table: writes to both wait.`,
        help: 'Add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, and VALIDATE CONSTRAINT in a later migration.',
      });
      return;
    }
    if (op.kind === 'add-constraint') {
      if (op.constraint !== 'check' && op.constraint !== 'foreign-key') return;
      if (!op.validated || (ctx.schema.isNewTable(op.table, ctx.migration.id) || ctx.schema.holdsNoRows(op.table, ctx.migration.id))) return;
      const what = op.constraint === 'check' ? 'CHECK constraint' : 'FOREIGN KEY';
      const name = op.name ? ` "${op.name}"` : '';
      const lock =
        op.constraint === 'check'
          ? 'under an ACCESS EXCLUSIVE lock: reads and writes of the table wait'
          : 'under a SHARE ROW EXCLUSIVE lock on it and on the referenced table: writes to both wait';
      ctx.report({
        span: op.span,
        message: `Adding ${what}${name} to "${tableName(op.table)}" checks every existing row ${lock} until the scan ends.`,
        fixes: ctx.statement ? splitValidation(op.span, ctx.statement, inTransaction(ctx)) : [],
      });
      return;
    }
    if (op.kind !== 'validate-constraint') return;
    const added = firstUnvalidatedAdd(ctx.previous, op.name);
    if (added < 0) return;
    if (!sameTransaction(ctx.previous, added, ctx.migration.transaction === 'transaction')) return;
    ctx.report({
      span: op.span,
      message: `VALIDATE CONSTRAINT "${op.name}" runs in the same transaction as the NOT VALID add, so the lock the add took on "${tableName(op.table)}" is held while every row is checked: NOT VALID gains nothing.`,
      help: 'Move VALIDATE CONSTRAINT to a later migration (or its own transaction): it takes only a SHARE UPDATE EXCLUSIVE lock there.',
    });
  },
});

/** ADD CONSTRAINTs filed by their name (unnamed ones are not filed). */
const constraintName = (op: Extract<Operation, { kind: 'add-constraint' }>): string | undefined => op.name;

/** Index in `previous` of the first ADD CONSTRAINT ... NOT VALID named `name`, or -1. */
function firstUnvalidatedAdd(previous: readonly Operation[], name: string): number {
  const named = opsOfKindKeyed(previous, 'add-constraint', constraintName, name);
  const i = named.ops.findIndex((p) => !p.validated);
  return i < 0 ? -1 : named.at[i]!;
}

/** No COMMIT separates `previous[from]` from now, and a transaction (framework or BEGIN) spans both. */
function sameTransaction(previous: readonly Operation[], from: number, framework: boolean): boolean {
  const between = transactionIndices(previous).filter((i) => i > from);
  if (between.some((i) => (previous[i] as Extract<Operation, { kind: 'transaction' }>).action !== 'begin')) return false;
  return framework || lastTransaction(previous, from + 1)?.action === 'begin';
}

/** The statement's table as written: once per statement (an ALTER TABLE may add many constraints). */
const alteredTables = new WeakMap<Statement, string | undefined>();
function alteredTable(statement: Statement): string | undefined {
  if (!alteredTables.has(statement)) alteredTables.set(statement, nameAfter(statement.span, 'postgres', /^ALTER TABLE(?: IF EXISTS)?(?: ONLY)?(?= |$)/));
  return alteredTables.get(statement);
}

/**
 * The suggestion: `NOT VALID` on the constraint and, where the migration does not run in a
 * transaction, `VALIDATE CONSTRAINT` as the next statement (inside one it would hold the add's
 * lock again: it belongs in a later migration then). Only a named constraint (VALIDATE needs it).
 */
function splitValidation(span: Span, statement: Statement, transaction: boolean): Fix[] {
  const constraint = nameAfter(span, 'postgres', /^ADD CONSTRAINT(?= |$)/);
  const table = alteredTable(statement);
  if (!constraint || !table) return [];
  const at = contentEnd(span);
  if (transaction) {
    return suggestion(`Add the constraint NOT VALID (new rows are checked at once), and VALIDATE CONSTRAINT ${constraint} in a later migration: in this migration's transaction it would hold the lock again.`, { start: at, end: at, text: ' NOT VALID' });
  }
  const validate = `;\nALTER TABLE ${table} VALIDATE CONSTRAINT ${constraint}`;
  const end = contentEnd(statement.span);
  const edits = at === end ? [{ start: at, end: at, text: ` NOT VALID${validate}` }] : [{ start: at, end: at, text: ' NOT VALID' }, { start: end, end, text: validate }];
  return suggestion(`Add the constraint NOT VALID, then VALIDATE CONSTRAINT ${constraint} as its own statement: validation takes only a SHARE UPDATE EXCLUSIVE lock. The statements must not share a transaction.`, ...edits);
}

