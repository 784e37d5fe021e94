/**
 * drizzle-journal-mismatch: the Drizzle journal (`meta/_journal.json`) and the migration folder
 * disagree. The Drizzle source (src/sources/drizzle.ts) finds these while loading the set and
 * reports them under this id; the rule itself checks nothing.
 */
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'drizzle-journal-mismatch',
    formats: ['drizzle'],
    description:
      "Drizzle's journal does not match the migration files: a .sql file it does not list, an entry without its file, an entry whose `when` is not newer than an earlier one, or a journal that is not valid JSON.",
    help: 'Keep meta/_journal.json in step with the folder: generate migrations with drizzle-kit (`drizzle-kit generate --custom` for hand-written SQL) and give every entry a `when` newer than all entries before it.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
});
