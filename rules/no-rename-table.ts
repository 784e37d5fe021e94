import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-rename-table',
    description: 'Renaming an existing table breaks every client still using the old name.',
    help: 'Create the new table (or a view with the new name), move the clients, then drop the old one.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    if (op.kind !== 'rename-table') return;
    if (ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
    // Rename-first rebuild (Knex's _knex_temp_alter, hand-written _x_old): the migration creates a
    // table under the old name again, so clients keep finding it.
    const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
    const recreated = own.some((s) => s.ops.some((o) => o.kind === 'create-table' && o.table.name === op.table.name && (o.table.schema ?? '') === (op.table.schema ?? '')));
    if (recreated) return;
    ctx.report({
      span: op.span,
      message: `Renaming table "${tableName(op.table)}" to "${op.to}": the application code already deployed still queries "${op.table.name}", and fails until it is updated.`,
    });
  },
});
