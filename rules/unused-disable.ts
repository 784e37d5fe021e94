import { defineRule } from '../src/engine/rule.js';

/** Reported by the engine after suppressions are applied. */
export default defineRule({
  meta: {
    id: 'unused-disable',
    description: 'A migralint-disable comment that suppresses nothing, or names an unknown rule.',
    help: 'Remove the comment, or correct the rule id it names.',
    defaultLevel: 'warn',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
});
