import { parsePgType } from '../src/engine/pg-types.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { declaredColumns } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'prefer-timestamptz',
    description: 'A timestamp column without time zone: values are ambiguous across time zones and DST changes.',
    help: 'Use timestamptz (timestamp with time zone).',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    for (const { table, column, span } of declaredColumns(op)) {
      const t = parsePgType(column.fullType ?? column.type);
      const raw = (column.type ?? '').toLowerCase();
      if (!t) continue;
      if (!(t.base === 'timestamp')) continue;
      ctx.report({ span, message: `"${tableName(table)}"."${column.name}" is timestamp without time zone: it stores a wall-clock time with no zone, so the same value means different instants to clients in different zones (use timestamptz).` });
    }
  },
});
