import { finalName, laterOpsOf, NAMING_KINDS } from '../src/engine/rebuild.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { opsOfKind, statementOps } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'no-rename-table',
    description: 'Renaming an existing table breaks every client still using the old name.',
    help: 'Create the new table (or a view with the new name), move the clients, then drop the old one.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  operationKinds: ['rename-table'],
  checkOperation(op, ctx) {
    if (op.kind !== 'rename-table') return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    // Rename-first rebuild (Knex's _knex_temp_alter, hand-written _x_old): the migration creates a
    // table under the old name again, so clients keep finding it.
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    const recreated = opsOfKind(statementOps(own), 'create-table').some((o) => o.table.name === op.table.name && (o.table.schema ?? '') === (op.table.schema ?? ''));
    if (recreated) return;
    // The table ends up under the name it had before this migration (a down undoing its up's
    // rename, or a rename and its reverse in one migration): clients find the name they know.
    // (A table this migration has not touched yet still has its name from before it.)
    const before = ctx.schema.table(op.table)?.startName ?? op.table;
    const to = { ...((op.toSchema ?? op.table.schema) ? { schema: op.toSchema ?? op.table.schema } : {}), name: op.to };
    const end = finalName(ctx, to, laterOpsOf(ctx, op, NAMING_KINDS));
    if (before && end && ctx.schema.same(end, before)) return;
    ctx.report({
      span: op.span,
      message: `Renaming table "${tableName(op.table)}" to "${op.to}": the application code already deployed still queries "${op.table.name}", and fails until it is updated.`,
    });
  },
});
