import { defineRule } from '../src/engine/rule.js';

/**
 * Reported by `check --confirm` only: the values of a column whose type changes are captured per
 * row before the statement and compared after it (src/confirm/execute.ts).
 */
export default defineRule({
  meta: {
    id: 'no-lossy-change',
    description: 'Existing rows survive a type change but their values do not (rounding, truncation, time zone shifts).',
    help: 'Change to a type that holds every existing value (wider precision, longer length, timestamptz with an explicit AT TIME ZONE), or convert the data explicitly with USING and check it.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite'],
    recommended: true,
    confirmOnly: true,
  },
});
