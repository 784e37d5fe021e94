import { defineRule, tableName } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'no-vacuum-full',
    description: 'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock: reads and writes wait until the copy ends.',
    help: 'Use plain VACUUM (or pg_repack / pg_squeeze to compact a table online), outside migrations.',
    defaultLevel: 'error',
    dialects: ['postgres'],
    recommended: true,
  },
  operationKinds: ['vacuum', 'cluster'],
  checkOperation(op, ctx) {
    if (op.kind === 'vacuum' && op.full) {
      const tables = op.tables.filter((t) => !ctx.schema.isNewTable(t, ctx.migration.id));
      if (op.tables.length > 0 && tables.length === 0) return;
      const which = tables.length === 0 ? 'every table of the database' : tables.map((t) => `"${tableName(t)}"`).join(', ');
      ctx.report({ span: op.span, message: `VACUUM FULL rewrites ${which} under an ACCESS EXCLUSIVE lock: every read and write waits until the copy ends.` });
      return;
    }
    if (op.kind === 'cluster') {
      if (op.table && ctx.schema.isNewTable(op.table, ctx.migration.id)) return;
      const which = op.table ? `"${tableName(op.table)}"` : 'every table clustered before';
      ctx.report({ span: op.span, message: `CLUSTER rewrites ${which} under an ACCESS EXCLUSIVE lock: every read and write waits until the copy ends.` });
    }
  },
});
