/**
 * no-out-of-order (only with `--changed-since REF`): a migration added since the merge base with
 * REF that sorts, in the framework's own order, before a migration that already existed there.
 * Databases that already ran the later one skip the new one or refuse to migrate.
 */
import { fileHeadSpan } from '../src/engine/rule-support.js';
import { defineRule } from '../src/engine/rule.js';
import type { FormatId, Migration } from '../src/model.js';

const WHAT_HAPPENS: Partial<Record<FormatId, string>> = {
  'golang-migrate': 'golang-migrate only runs versions above the current one, so it never runs there',
  goose: 'goose refuses to migrate ("missing migrations") unless run with -allow-missing, which applies it after the newer ones',
  flyway: 'Flyway refuses to migrate (validate fails: "detected resolved migration not applied") unless outOfOrder is set',
  dbmate: 'dbmate applies it after the newer ones, in a different order than on a fresh database',
  'sql-migrate': 'sql-migrate applies it after the newer ones, in a different order than on a fresh database',
  diesel: 'diesel applies it after the newer ones, in a different order than on a fresh database',
  prisma: 'Prisma applies it after the newer ones on deploy, and `migrate dev` reports the history diverged',
  knex: 'Knex applies it after the newer ones, in a different order than on a fresh database',
  drizzle: "Drizzle's migrator skips a migration older than the last one applied",
};

export default defineRule({
  meta: {
    id: 'no-out-of-order',
    description: 'A migration added since the --changed-since ref sorts before one that already existed there, so databases that ran that one apply it out of order or never.',
    help: 'Give the new migration a version (timestamp or number) after every migration that already exists on the target branch: regenerate or rename it.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkMigration(ctx) {
    const changes = ctx.set.changes;
    if (!changes || ctx.direction !== 'up') return;
    const isNew = (m: Migration): boolean => changes.files.get(m.file.path)?.status === 'added';
    const m = ctx.migration;
    if (!isNew(m)) return;
    const list = ctx.set.migrations;
    const later = list.slice(list.indexOf(m) + 1).find((o) => !isNew(o));
    if (!later) return;
    const span = fileHeadSpan(m.file);
    const what = WHAT_HAPPENS[ctx.format] ?? 'most runners skip it or apply it after the newer ones';
    ctx.report({
      span,
      message: `Migration "${m.name}" is new since ${changes.ref} but sorts before "${later.name}", which already existed there: on databases that ran "${later.name}", ${what}.`,
    });
  },
});
