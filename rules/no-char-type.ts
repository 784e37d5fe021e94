import { defineRule } from '../src/engine/rule.js';
import { DECLARING_KINDS, reportDeclaredTypes } from '../src/engine/rule-support.js';
import { retype, suggestion } from '../src/fix/sql-edits.js';

export default defineRule({
  meta: {
    id: 'no-char-type',
    description: 'A char(n) column: pads with spaces, compares surprisingly, and is no faster than text.',
    help: 'Use text (with a CHECK on length() if a limit is needed) or varchar.',
    defaultLevel: 'off',
    dialects: ['postgres'],
    recommended: false,
    fixable: true,
  },
  operationKinds: DECLARING_KINDS,
  checkOperation(op, ctx) {
    reportDeclaredTypes(op, ctx, (t) => t.base === 'bpchar', 'is char(n): values are blank-padded to the length, and the padding is ignored in comparisons but not everywhere else (use text).', (column, span) => {
      if (column.typeAt === undefined) return [];
      const edit = retype(span.file, column.typeAt, span.end, /^(?:PG_CATALOG \. )?(?:CHARACTER|CHAR|BPCHAR)(?: \( \d+ \))?(?= |$)(?! VARYING)/, () => 'text');
      return suggestion(`Declare "${column.name}" text. Values are then stored as given, without blank padding, and compared with their trailing spaces: add CHECK (length(${column.name}) <= n) if the limit is a rule of the domain.`, edit);
    });
  },
});
