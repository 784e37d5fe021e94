/**
 * no-missing-dependency: a statement that uses a table, column or index that the chain itself
 * dropped or renamed away earlier (and did not create again). Only what the chain KNOWS is gone
 * is reported: a name the chain never saw may exist in the database it starts from.
 *
 * Downs are checked against the state right after their up (the engine's model: the later
 * migrations' downs have run first), so a down that uses a column an earlier migration of the
 * chain removed, or that its own up renamed away, is reported.
 */
import type { GoneInfo } from '../src/engine/schema-state.js';
import { defineRule, tableName, type RuleContext } from '../src/engine/rule.js';
import type { Operation, TableRef } from '../src/model.js';

/** Tables an operation needs to exist (not those it creates, nor IF EXISTS drops). */
function tablesUsed(op: Operation): TableRef[] {
  switch (op.kind) {
    case 'drop-table':
      return op.ifExists ? [] : [op.table];
    case 'drop-column':
      return op.ifExists ? [] : [op.table];
    case 'rename-table':
    case 'add-column':
    case 'rename-column':
    case 'set-not-null':
    case 'drop-not-null':
    case 'set-default':
    case 'alter-column-type':
    case 'create-index':
    case 'add-constraint':
    case 'validate-constraint':
    case 'drop-constraint':
    case 'update':
    case 'delete':
    case 'detach-partition':
      return [op.table];
    case 'insert':
      return op.fromTable ? [op.table, op.fromTable] : [op.table];
    case 'truncate':
    case 'vacuum':
      return op.tables;
    case 'cluster':
      return op.table ? [op.table] : [];
    case 'reindex':
      return op.table ? [op.table] : [];
    case 'create-table':
      return op.like ?? [];
    default:
      return [];
  }
}

/** Columns of `table` an operation needs to exist. */
function columnsUsed(op: Operation): { table: TableRef; columns: string[] } | undefined {
  switch (op.kind) {
    case 'drop-column':
      return op.ifExists ? undefined : { table: op.table, columns: [op.column] };
    case 'rename-column':
    case 'set-not-null':
    case 'drop-not-null':
    case 'set-default':
    case 'alter-column-type':
      return { table: op.table, columns: [op.column] };
    case 'create-index':
      return { table: op.table, columns: op.columns };
    case 'update':
      return { table: op.table, columns: op.columns };
    case 'insert':
      return op.columns ? { table: op.table, columns: op.columns } : undefined;
    case 'add-constraint':
      return { table: op.table, columns: op.notNullColumns };
    default:
      return undefined;
  }
}

function by(info: GoneInfo, ctx: RuleContext): string {
  const where = info.migration === ctx.migration.id ? (ctx.direction === 'down' ? 'by the up of this migration' : 'earlier in this migration') : `by migration ${info.migration}`;
  return `${info.how} ${where}`;
}

const FAILS = 'so this statement fails';

export default defineRule({
  meta: {
    id: 'no-missing-dependency',
    description: 'A statement uses a table, column or index that an earlier statement of the chain dropped or renamed away: it fails when the chain runs.',
    help: 'Use the name the object has at this point of the chain (after the rename), or create it again first; in a down, undo the later change before using it.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    // Under a run-time check (`IF EXISTS (...) THEN`, Knex `hasTable()`), it runs only when it can.
    if (op.conditional) return;
    for (const t of tablesUsed(op)) {
      const gone = ctx.schema.goneTable(t);
      if (!gone) continue;
      ctx.report({ span: op.span, message: `Table "${tableName(t)}" no longer exists at this point: it was ${by(gone, ctx)}, ${FAILS}.` });
      return;
    }
    const used = columnsUsed(op);
    if (used) {
      for (const c of used.columns) {
        const gone = ctx.schema.goneColumn(used.table, c);
        if (!gone) continue;
        ctx.report({ span: op.span, message: `Column "${tableName(used.table)}"."${c}" no longer exists at this point: it was ${by(gone, ctx)}, ${FAILS}.` });
        return;
      }
    }
    if (op.kind === 'drop-index' && !op.ifExists) {
      const gone = ctx.schema.goneIndex(op.name);
      if (gone) ctx.report({ span: op.span, message: `Index "${op.name}" no longer exists at this point: it was ${by(gone, ctx)}, ${FAILS}.` });
    }
  },
});
