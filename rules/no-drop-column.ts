import { defineRule, tableName } from '../src/engine/rule.js';
import { holdersOf, isRebuild, laterOpsOf, mainHolder, NAMING_KINDS } from '../src/engine/rebuild.js';
import type { RuleContext } from '../src/engine/rule.js';
import type { Operation, TableRef } from '../src/model.js';
import { copiedIntoNewTable } from './no-drop-table.js';

/** A copy the schema state did not record (columns of the source unknown to the chain): as before. */
function legacyCopyCheck(table: TableRef, ctx: RuleContext): void {
  const copy = copiedIntoNewTable(ctx.previous, table, (t) => ctx.schema.isNewTable(t, ctx.migration.id), (a, b) => ctx.schema.same(a, b));
  if (!copy || copy.kind !== 'insert' || !copy.selectColumns) return;
  const old = ctx.schema.table(table);
  if (!old || old.columns.size === 0) return;
  const copied = new Set(copy.selectColumns);
  if (copied.has('*')) return;
  const lost = [...old.columns.keys()].filter((c) => !copied.has(c));
  if (lost.length === 0) return;
  const list = lost.map((c) => `"${c}"`).join(', ');
  ctx.report({
    span: copy.span,
    message: `Copying "${tableName(table)}" leaves out column${lost.length > 1 ? 's' : ''} ${list}: the data in ${lost.length > 1 ? 'them' : 'it'} is lost when the old table is dropped.`,
  });
}

/**
 * The column-reorder pattern: `ADD COLUMN a_new`, `UPDATE t SET a_new = a` (every row),
 * `DROP COLUMN a`, `RENAME COLUMN a_new TO a`. The values live on under the same name.
 */
function movedIntoPlace(op: Extract<Operation, { kind: 'drop-column' }>, ctx: RuleContext): boolean {
  const table = ctx.schema.table(op.table);
  if (!table) return false;
  // The operations still to come are read only for a column copied from this one (rarely any).
  let later: readonly Extract<Operation, { kind: 'rename-column' }>[] | undefined;
  for (const c of table.columns.values()) {
    if (c.copiedFrom?.migration !== ctx.migration.id || c.copiedFrom.column !== op.column) continue;
    later ??= laterOpsOf(ctx, op, ['rename-column']);
    if (later.some((o) => ctx.schema.same(o.table, op.table) && o.column === c.name && o.to === op.column)) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'no-drop-column',
    description: 'Dropping a column of an existing table deletes its data and breaks code that still uses it.',
    help: 'Stop using the column in the application first and deploy that; then drop it in a later migration.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['drop-column', 'drop-table'],
  checkOperation(op, ctx) {
    const isNew = (t: Parameters<typeof ctx.schema.isNewTable>[0]) => ctx.schema.isNewTable(t, ctx.migration.id);
    if (op.kind === 'drop-column') {
      if (isNew(op.table)) return;
      if (ctx.schema.column(op.table, op.column)?.createdIn === ctx.migration.id) return;
      if (movedIntoPlace(op, ctx)) return;
      const cascade = op.cascade ? ' CASCADE also drops the views and other tables\' foreign keys that depend on it.' : '';
      ctx.report({ span: op.span, message: `Dropping column "${op.column}" of "${tableName(op.table)}" deletes its data.${cascade}` });
      return;
    }
    // A rebuild or copy (src/engine/rebuild.ts): the columns of the old table that no copy carries
    // are dropped with it. Reported at the copy that leaves them out.
    if (op.kind === 'drop-table') {
      const dropped = ctx.schema.table(op.table);
      if (!dropped || (isNew(op.table) && !dropped.copyOf)) return;
      const holders = holdersOf(ctx, dropped);
      if (holders.length === 0) {
        if (!isNew(op.table)) legacyCopyCheck(op.table, ctx);
        return;
      }
      // The origin's columns this table holds (all of them, for the original table).
      const held = dropped.copyOf ? [...dropped.copyOf.columns.values()] : [...dropped.columns.keys()];
      const carried = new Set(holders.flatMap((h) => [...h.copyOf!.columns.values()]));
      const later = laterOpsOf(ctx, op, NAMING_KINDS);
      const holder = mainHolder(ctx, holders, later)!;
      // A column the new table fills itself (autoincrement id, rowid, identity) is regenerated, not lost.
      // A column this migration added (the up, for a down) is new: leaving it out drops nothing in use.
      const lost = [...new Set(held)].filter(
        (c) => !carried.has(c) && !holders.some((h) => h.columns.get(c)?.generated) && !(dropped.copyOf === undefined && dropped.columns.get(c)?.createdIn === ctx.migration.id),
      );
      if (lost.length === 0) return;
      const list = lost.map((c) => `"${c}"`).join(', ');
      const copy = holder.copyOf!;
      const them = lost.length > 1 ? 'them' : 'it';
      const cols = `column${lost.length > 1 ? 's' : ''} ${list}`;
      ctx.report({
        span: copy.span,
        message: isRebuild(ctx, holder, later)
          ? `Rebuilding "${tableName(copy.originName)}" leaves out ${cols}: the data in ${them} is lost when the old table is dropped.`
          : `Copying "${tableName(copy.originName)}" into "${holder.name}" leaves out ${cols}: the data in ${them} is lost when "${tableName(op.table)}" is dropped.`,
      });
    }
  },
});
