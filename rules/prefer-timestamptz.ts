import { defineRule } from '../src/engine/rule.js';
import { reportDeclaredTypes } from '../src/engine/rule-support.js';

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
    reportDeclaredTypes(op, ctx, (t) => t.base === 'timestamp', 'is timestamp without time zone: it stores a wall-clock time with no zone, so the same value means different instants to clients in different zones (use timestamptz).');
  },
});
