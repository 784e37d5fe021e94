import { defineRule, tableName } from '../src/engine/rule.js';
import { copiedIntoNewTable } from './no-drop-table.js';

export default defineRule({
  meta: {
    id: 'no-drop-column',
    description: 'Dropping a column of an existing table deletes its data and breaks code that still uses it.',
    help: 'Stop using the column in the application first and deploy that; then drop it in a later migration.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkOperation(op, ctx) {
    const isNew = (t: Parameters<typeof ctx.schema.isNewTable>[0]) => ctx.schema.isNewTable(t, ctx.migration.id);
    if (op.kind === 'drop-column') {
      if (isNew(op.table)) return;
      if (ctx.schema.column(op.table, op.column)?.createdIn === ctx.migration.id) return;
      const cascade = op.cascade ? ' CASCADE also drops the views and other tables\' foreign keys that depend on it.' : '';
      ctx.report({ span: op.span, message: `Dropping column "${op.column}" of "${tableName(op.table)}" deletes its data.${cascade}` });
      return;
    }
    // The rebuild pattern: INSERT INTO new SELECT ... FROM old; DROP TABLE old. Columns of the old
    // table that the copy leaves out are dropped columns.
    if (op.kind === 'drop-table' && !isNew(op.table)) {
      const copy = copiedIntoNewTable(ctx.previous, op.table, isNew);
      if (!copy || copy.kind !== 'insert' || !copy.selectColumns) return;
      const old = ctx.schema.table(op.table);
      if (!old || old.columns.size === 0) return;
      const copied = new Set(copy.selectColumns);
      if (copied.has('*')) return;
      const lost = [...old.columns.keys()].filter((c) => !copied.has(c));
      if (lost.length === 0) return;
      const list = lost.map((c) => `"${c}"`).join(', ');
      ctx.report({
        span: copy.span,
        message: `Rebuilding "${tableName(op.table)}" leaves out column${lost.length > 1 ? 's' : ''} ${list}: the data in ${lost.length > 1 ? 'them' : 'it'} is lost when the old table is dropped.`,
      });
    }
  },
});
