import { defineRule, tableName } from '../src/engine/rule.js';
import { holdersOf, isRebuild, laterOpsOf, mainHolder, NAMING_KINDS } from '../src/engine/rebuild.js';
import { opsOfKindKeyed, tableKey } from '../src/engine/rule-support.js';
import type { Operation, TableRef } from '../src/model.js';

const sameTable = (a: TableRef, b: TableRef): boolean => a.name === b.name && (a.schema ?? 'public') === (b.schema ?? 'public');

/**
 * Rows of `table` were copied, earlier in this migration, into a table this migration created:
 * the rebuild pattern (SQLite, Drizzle) where dropping the old table loses nothing.
 */
export function copiedIntoNewTable(previous: readonly Operation[], table: TableRef, created: (t: TableRef) => boolean, same: (a: TableRef, b: TableRef) => boolean = sameTable): Operation | undefined {
  return opsOfKindKeyed(previous, 'insert', sourceKey, tableKey(table)).ops.find((op) => op.fromTable !== undefined && same(op.fromTable, table) && created(op.table));
}

/** INSERTs filed by the table they select from (see `tableKey`). */
const sourceKey = (op: Extract<Operation, { kind: 'insert' }>): string | undefined => (op.fromTable ? tableKey(op.fromTable) : undefined);

export default defineRule({
  meta: {
    id: 'no-drop-table',
    description: 'Dropping a table that already exists (or a schema with CASCADE) deletes all of its rows.',
    help: 'Stop reading and writing the table in the application first, deploy, back it up, then drop it in a later migration.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['drop-partition', 'drop-schema', 'drop-table'],
  checkOperation(op, ctx) {
    if (op.kind === 'drop-partition' && !op.truncate) {
      if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
      const list = op.partitions.map((p) => `"${p}"`).join(', ');
      const many = op.partitions.length > 1;
      ctx.report({ span: op.span, message: `DROP PARTITION ${list} of "${tableName(op.table)}" deletes ${many ? 'those partitions' : 'the partition'} and every row in ${many ? 'them' : 'it'}.` });
      return;
    }
    if (op.kind === 'drop-schema') {
      // Without CASCADE, Postgres refuses to drop a schema that still holds anything.
      if (!op.cascade || ctx.schema.isNewSchema(op.name, ctx.migration.id)) return;
      const known = ctx.schema.tablesIn(op.name).filter((t) => t.createdIn !== ctx.migration.id);
      const names = known.slice(0, 3).map((t) => `"${t.name}"`).join(', ');
      const listed = known.length === 0 ? '' : ` (${names}${known.length > 3 ? `, and ${known.length - 3} more` : ''})`;
      const where = ctx.direction === 'down' ? ' The matching up migration did not create it.' : '';
      ctx.report({ span: op.span, message: `DROP SCHEMA "${op.name}" CASCADE drops every table in it${listed}, with all of their rows.${where}` });
      return;
    }
    if (op.kind !== 'drop-table') return;
    const dropped = ctx.schema.table(op.table);
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) {
      // A backup table this migration filled with another table's rows, dropped while the rows
      // are nowhere else any more: those rows are lost now.
      const copy = dropped?.copyOf;
      if (copy && dropped && !ctx.schema.tableById(copy.origin) && holdersOf(ctx, dropped).length === 0) {
        ctx.report({
          span: op.span,
          message: `Dropping table "${tableName(op.table)}" deletes the rows of "${tableName(copy.originName)}" copied into it: "${tableName(copy.originName)}" was dropped earlier in this migration and its rows are nowhere else.`,
        });
      }
      return;
    }
    // Dropped or renamed away earlier in the chain: DROP TABLE IF EXISTS does nothing.
    if (op.ifExists && ctx.schema.isGone(op.table)) return;
    if (dropped) {
      const holders = holdersOf(ctx, dropped);
      if (holders.some((h) => h.copyOf?.full)) return;
      if (holders.length > 0) {
        const later = laterOpsOf(ctx, op, NAMING_KINDS);
        const holder = mainHolder(ctx, holders, later)!;
        const copy = holder.copyOf!;
        const filter = copy.filter ?? 'a filter';
        const message = isRebuild(ctx, holder, later)
          ? `Rebuilding "${tableName(copy.originName)}" copies only the rows of ${filter}: dropping the old table deletes the others.`
          : `Dropping table "${tableName(op.table)}" deletes the rows its copy into "${holder.name}" left out (${filter}).`;
        ctx.report({ span: op.span, message });
        return;
      }
    }
    if (copiedIntoNewTable(ctx.previous, op.table, (t) => ctx.schema.isNewTable(t, ctx.migration.id), (a, b) => ctx.schema.same(a, b))) return;
    const name = tableName(op.table);
    const cascade = op.cascade ? ' CASCADE also drops every view and foreign key constraint that depends on it.' : '';
    const where = ctx.direction === 'down' ? ' The matching up migration did not create it.' : '';
    ctx.report({ span: op.span, message: `Dropping table "${name}" deletes all of its rows.${cascade}${where}` });
  },
});
