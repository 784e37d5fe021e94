import { parsePgType } from '../src/engine/pg-types.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { declaredColumns } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'prefer-identity',
    description: 'A serial column: identity columns are the SQL-standard replacement, with clearer ownership and permissions.',
    help: 'Use bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT).',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    for (const { table, column, span } of declaredColumns(op)) {
      const t = parsePgType(column.fullType ?? column.type);
      const raw = (column.type ?? '').toLowerCase();
      if (!t) continue;
      if (!(/^(?:small|big)?serial[248]?$/.test(raw))) continue;
      ctx.report({ span, message: `"${tableName(table)}"."${column.name}" is serial: its sequence has its own owner and permissions and is easy to desynchronise (use GENERATED ALWAYS AS IDENTITY).` });
    }
  },
});
