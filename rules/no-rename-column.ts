import { laterOpsOf } from '../src/engine/rebuild.js';
import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-rename-column',
    description: 'Renaming a column of an existing table breaks every client still using the old name.',
    help: 'Add the new column, write to both, backfill, move the readers, then drop the old column (or keep the old name with a view).',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['rename-column'],
  checkOperation(op, ctx) {
    if (op.kind !== 'rename-column' || op.column === op.to) return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    const col = ctx.schema.column(op.table, op.column);
    if (col?.createdIn === ctx.migration.id) return;
    // Back to the name it had before this migration (a down undoing its up's rename, or a rename
    // and its reverse in one migration): clients find the name they know.
    if (col?.renamed?.migration === ctx.migration.id && col.renamed.from === op.to) return;
    if (laterOpsOf(ctx, op, ['rename-column']).some((o) => ctx.schema.same(o.table, op.table) && o.column === op.to && o.to === op.column)) return;
    ctx.report({
      span: op.span,
      message: `Renaming "${tableName(op.table)}"."${op.column}" to "${op.to}": the application code already deployed still reads and writes "${op.column}", and fails until it is updated.`,
    });
  },
});
