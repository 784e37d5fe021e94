import { defineRule } from '../src/engine/rule.js';
import { reportDeclaredTypes } from '../src/engine/rule-support.js';

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
    reportDeclaredTypes(op, ctx, (t) => t.base === 'bpchar', 'is char(n): values are blank-padded to the length, and the padding is ignored in comparisons but not everywhere else (use text).');
  },
});
