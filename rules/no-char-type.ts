import { parsePgType } from '../src/engine/pg-types.js';
import { defineRule, tableName } from '../src/engine/rule.js';
import { declaredColumns } from '../src/engine/rule-support.js';

export default defineRule({
  meta: {
    id: 'no-char-type',
    description: 'A char(n) column: pads with spaces, compares surprisingly, and is no faster than text.',
    help: 'Use text (with a CHECK on length() if a limit is needed) or varchar.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
  },
  checkOperation(op, ctx) {
    for (const { table, column, span } of declaredColumns(op)) {
      const t = parsePgType(column.fullType ?? column.type);
      const raw = (column.type ?? '').toLowerCase();
      if (!t) continue;
      if (!(t.base === 'bpchar')) continue;
      ctx.report({ span, message: `"${tableName(table)}"."${column.name}" is char(n): values are blank-padded to the length, and the padding is ignored in comparisons but not everywhere else (use text).` });
    }
  },
});
