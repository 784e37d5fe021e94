import { defineRule } from '../src/engine/rule.js';

/** Reported by the parsers, not by a check: a statement the dialect's real parser rejects. */
export default defineRule({
  meta: {
    id: 'syntax-error',
    description: 'A statement that the database\'s own parser rejects.',
    help: 'Fix the statement; the database would refuse the migration at this point. Check --dialect if the file is for another database.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
});
