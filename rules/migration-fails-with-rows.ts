import { defineRule } from '../src/engine/rule.js';

/**
 * Reported by `check --confirm` only: a statement failed on seeded rows and the same transaction
 * succeeded once its tables were emptied (src/confirm/chain.ts).
 */
export default defineRule({
  meta: {
    id: 'migration-fails-with-rows',
    description: 'The migration succeeds on an empty database but fails once the tables it touches hold valid rows.',
    help: 'Make the migration work on the data production has: backfill before adding NOT NULL or CHECK, deduplicate before a unique index, fix the rows a cast or a foreign key rejects.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite'],
    recommended: true,
    confirmOnly: true,
  },
});
