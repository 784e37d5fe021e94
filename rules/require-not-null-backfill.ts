import { finalName, laterOpsOf, NAMING_KINDS } from '../src/engine/rebuild.js';
import { defineRule, tableName, type RuleContext } from '../src/engine/rule.js';
import { opsOfKindKeyed, tableKey } from '../src/engine/rule-support.js';
import type { Operation, TableRef } from '../src/model.js';

/** Constraint operations filed by their table (see `tableKey`). */
const onTable = (op: { table: TableRef }): string => tableKey(op.table);

/**
 * INSERT ... SELECT of existing rows into a table this migration created (a rebuild, above all
 * SQLite's, where this is how a column becomes NOT NULL): a NOT NULL column without DEFAULT that
 * the copy leaves out, or fills from a column that may hold NULL, fails on the first such row.
 */
function checkCopy(op: Extract<Operation, { kind: 'insert' }>, ctx: RuleContext): void {
  if (!op.fromTable || !op.selectColumns || !ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
  const source = ctx.schema.table(op.fromTable);
  const target = ctx.schema.table(op.table);
  // A table of an earlier migration is taken to hold rows; one of this migration only if filled.
  if (!source || !target || source === target || (source.createdIn === ctx.migration.id && !source.hasRows)) return;
  // The copy's items, `*` expanded where the source's columns are known.
  const sourceColumns = [...source.columns.keys()];
  const items: { column: string; nonNullIf?: readonly string[] | null }[] = [];
  op.selectColumns.forEach((c, i) => {
    if (c === '*') for (const s of sourceColumns.length > 0 ? sourceColumns : ['*']) items.push({ column: s, nonNullIf: s === '*' ? undefined : [s] });
    else {
      const v = op.selectValues?.[i];
      // A column of a joined table every copied row matches: non-null when the chain knows it NOT NULL.
      const joined = v?.joined ? ctx.schema.column(v.joined.table, v.joined.column) : undefined;
      const joinedNonNull = !!joined && (joined.notNull || joined.notNullCheck || joined.backfilled);
      items.push({ column: c, nonNullIf: op.selectValues ? (v?.joined ? (joinedNonNull ? [] : null) : (v?.nonNullIf ?? null)) : undefined });
    }
  });
  if (items.some((i) => i.column === '*')) return;
  const targetColumns = op.columns ?? [...target.columns.keys()];
  const end = finalName(ctx, { ...(target.schema ? { schema: target.schema } : {}), name: target.name }, laterOpsOf(ctx, op, NAMING_KINDS));
  const start = source.startName ?? { name: source.name };
  const rebuilt = end !== undefined && ctx.schema.same(end, start);
  const what = rebuilt ? `Rebuilding "${tableName(start)}"` : `Copying the rows of "${tableName(op.fromTable)}" into "${tableName(op.table)}"`;
  for (const col of target.columns.values()) {
    if (!col.notNull || col.hasDefault) continue;
    const i = targetColumns.indexOf(col.name);
    const item = i >= 0 ? items[i] : undefined;
    if (!item) {
      ctx.report({
        span: op.span,
        message: `${what} leaves NOT NULL column "${col.name}" (no DEFAULT) unfilled: the INSERT fails as soon as "${tableName(op.fromTable)}" has a row.`,
        help: 'Fill the column in the copy (a value, or COALESCE(old_column, default)), or give it a DEFAULT.',
      });
      continue;
    }
    // Unknown (the parser does not say): nothing to report.
    if (item.nonNullIf === undefined) continue;
    const known = (c: string): boolean => {
      const s = source.columns.get(c);
      return !!s && (s.notNull || s.notNullCheck || s.backfilled);
    };
    // A source column the chain never saw: its NULLs are unknown either way.
    if (item.nonNullIf !== null && item.nonNullIf.some((c) => !source.columns.has(c) && !ctx.schema.noNullsLeft(op.fromTable!, c))) continue;
    if (item.nonNullIf !== null && item.nonNullIf.every((c) => known(c) || ctx.schema.noNullsLeft(op.fromTable!, c))) continue;
    const from = item.nonNullIf === null ? 'a value that may be NULL' : `"${item.column}", which may hold NULL`;
    const updated = item.nonNullIf?.some((c) => source.columns.get(c)?.updated)
      ? 'an earlier UPDATE sets it, but no earlier statement of this migration is known to fill every row'
      : 'nothing earlier backfills it';
    ctx.report({
      span: op.span,
      message: `${what} makes "${col.name}" NOT NULL and fills it from ${from}: the INSERT fails on the first row where it is NULL; ${updated}.`,
      help: 'Backfill the old column first (UPDATE ... SET col = ... WHERE col IS NULL), or copy COALESCE(col, default).',
    });
  }
}

export default defineRule({
  meta: {
    id: 'require-not-null-backfill',
    description: 'Making a column NOT NULL on an existing table fails on existing rows unless they were given a value first.',
    help: 'Add the column as nullable (or with a constant DEFAULT), backfill it in batches, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['add-column', 'insert', 'set-not-null'],
  checkOperation(op, ctx) {
    const migrationId = ctx.migration.id;
    if (op.kind === 'add-column') {
      if (!op.column.notNull || op.column.hasDefault) return;
      // MySQL fills existing rows with the type's implicit default (0, '', ...), even in strict mode.
      if (ctx.dialect === 'mysql') return;
      // A table created by this migration is empty, unless this migration copied rows into it
      // (CREATE TABLE ... AS SELECT, the INSERT ... SELECT of a rebuild): those fail the same way.
      if (ctx.schema.isNewEmptyTable(op.table, migrationId)) return;
      const filled = ctx.schema.isNewTable(op.table, migrationId) ? ' This migration created it and already put rows in it.' : '';
      ctx.report({
        span: op.span,
        message: `Adding NOT NULL column "${op.column.name}" without a DEFAULT to "${tableName(op.table)}" fails as soon as the table has a row.${filled}`,
        help: 'Add it with a constant DEFAULT (Postgres 11+ adds that without rewriting the table), or add it nullable, backfill it, then set NOT NULL.',
      });
      return;
    }
    if (op.kind === 'insert') {
      checkCopy(op, ctx);
      return;
    }
    if (op.kind === 'set-not-null') {
      if (ctx.schema.isNewTable(op.table, migrationId)) return;
      const column = ctx.schema.column(op.table, op.column);
      // A CHECK (col IS NOT NULL) added without NOT VALID in this very migration proves nothing
      // in advance: adding it scans the table under the same ACCESS EXCLUSIVE lock and fails on
      // the same NULLs. Only NOT VALID + VALIDATE CONSTRAINT, or a check from an earlier
      // migration, does.
      const checkedHere = opsOfKindKeyed(ctx.previous, 'add-constraint', onTable, tableKey(op.table)).ops.some(
        (p) => p.validated && ctx.schema.same(p.table, op.table) && p.notNullColumns.includes(op.column),
      );
      if (ctx.schema.noNullsLeft(op.table, op.column)) return;
      // VALIDATE CONSTRAINT, earlier in this migration, of a constraint the chain never saw added
      // (an earlier migration outside the set added it NOT VALID) whose name names the column:
      // the usual `<table>_<col>_not_null` check of the NOT VALID + VALIDATE pattern.
      const table = ctx.schema.table(op.table);
      const validatedElsewhere = opsOfKindKeyed(ctx.previous, 'validate-constraint', onTable, tableKey(op.table)).ops.some(
        (p) => ctx.schema.same(p.table, op.table) && p.name.includes(op.column) && !table?.checks.some((c) => c.name === p.name),
      );
      const proved = validatedElsewhere || (!!column?.notNullCheck && !checkedHere);
      if (proved && ctx.dialect === 'postgres' && ctx.postgresVersion < 12 && !column?.backfilled && !column?.notNull) {
        ctx.report({
          span: op.span,
          message: `SET NOT NULL on "${tableName(op.table)}"."${op.column}": the validated CHECK (${op.column} IS NOT NULL) proves no row holds NULL, but before Postgres 12 (configured: ${ctx.postgresVersion}) SET NOT NULL cannot use it and still scans the whole table under an ACCESS EXCLUSIVE lock.`,
          help: 'On Postgres 11 and older keep the validated CHECK constraint instead of SET NOT NULL (or run SET NOT NULL in a quiet window); from 12 on, SET NOT NULL uses the check and skips the scan.',
        });
        return;
      }
      if (validatedElsewhere) return;
      if (column) {
        if (column.backfilled || column.notNull || (column.notNullCheck && !checkedHere)) return;
        // A column this migration added with a DEFAULT has that value in every row (a SET
        // DEFAULT after the ADD COLUMN only applies to rows inserted later).
        if (column.createdIn === migrationId && column.filledOnAdd) return;
      }
      // What is known, said as such: never "every row holds NULL" when an UPDATE ran on it.
      const added = column?.createdIn === migrationId && !column.updated ? ' It was added in this migration, so every existing row holds NULL.' : '';
      const updated = column?.updated === true;
      const known = updated
        ? 'an earlier UPDATE sets the column, but no earlier statement of this migration is known to fill every row (a WHERE may leave rows out, or the value may be NULL)'
        : 'nothing earlier backfills the column';
      const check = checkedHere && column?.notNullCheck ? ' The CHECK added earlier in this migration without NOT VALID takes the same lock and fails on the same rows.' : '';
      const target = `"${tableName(op.table)}"."${op.column}"`;
      ctx.report({
        span: op.span,
        message:
          ctx.dialect === 'postgres'
            ? `SET NOT NULL on ${target} fails if any row holds NULL, and scans the whole table under an ACCESS EXCLUSIVE lock; ${known}${updated ? ', and no' : ' or proves it with a'} validated CHECK (${op.column} IS NOT NULL)${updated ? ' proves it' : ''}.${added}${check}`
            : `Making ${target} NOT NULL fails if any row holds NULL (or, in MySQL's non-strict mode, silently turns NULLs into the type's zero value), and rebuilds the table; ${known}.${added}`,
        help: ctx.dialect === 'postgres' ? undefined : 'Backfill the column (UPDATE ... SET col = ... WHERE col IS NULL) in an earlier migration, then make it NOT NULL.',
      });
    }
  },
});
