import { defineRule } from '../src/engine/rule.js';

/**
 * Reported by `check --confirm` only: the replay runs each down right after its up and diffs the
 * schema snapshots, then rolls the whole chain back (src/confirm/chain.ts).
 */
export default defineRule({
  meta: {
    id: 'require-reversible-down',
    description: 'The down migration fails, or leaves the schema different from before its up.',
    help: 'Make the down undo exactly what the up did: drop what it created, restore what it dropped or changed (indexes, constraints, defaults, types).',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite'],
    recommended: true,
    confirmOnly: true,
  },
});
