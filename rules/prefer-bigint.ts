import { parsePgType } from '../src/engine/pg-types.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { declaredColumns } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'prefer-bigint',
    description: 'An int or smallint column (or serial): ids and counters outgrow 32 bits, and changing the type later rewrites the table.',
    help: 'Use bigint (or bigserial / bigint identity) for ids and counters.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    for (const { table, column, span } of declaredColumns(op)) {
      const t = parsePgType(column.fullType ?? column.type);
      const raw = (column.type ?? '').toLowerCase();
      if (!t) continue;
      if (!((t.base === 'int4' || t.base === 'int2') && !t.array)) continue;
      ctx.report({ span, message: `"${tableName(table)}"."${column.name}" is a 32-bit or smaller integer: when it runs out, widening it to bigint rewrites the whole table under an ACCESS EXCLUSIVE lock (use bigint).` });
    }
  },
});
