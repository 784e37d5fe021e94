import { defineRule } from '../src/engine/rule.js';
import { reportDeclaredTypes } from '../src/engine/rule-support.js';

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
    reportDeclaredTypes(op, ctx, (_t, raw) => /^(?:small|big)?serial[248]?$/.test(raw), 'is serial: its sequence has its own owner and permissions and is easy to desynchronise (use GENERATED ALWAYS AS IDENTITY).');
  },
});
