/**
 * no-modified-migration (only with `--changed-since REF`): a migration that already existed at
 * the merge base with REF and whose up was edited since. Databases that ran it never run it
 * again, so they never see the edit: production and fresh databases drift apart.
 *
 * Whitespace and comments do not count (the database sees the same statements), except where the
 * runner keeps a checksum of the whole file (Flyway, Prisma): there any change breaks the next
 * deploy. An edit that touches only the down is not reported: a down runs from the current file.
 */
import { changedRange, type TokenLanguage } from '../src/changed/tokens.js';
import { lineEnd } from '../src/engine/rule-support.js';
import { defineRule } from '../src/engine/rule.js';
import type { FormatId, Section, SourceFile } from '../src/model.js';

/** Runners that store a checksum of the file and refuse (or want to reset) when it changes. */
const CHECKSUM: Partial<Record<FormatId, string>> = {
  flyway: "Flyway keeps a checksum of every applied script: `flyway migrate` and `validate` fail with a checksum mismatch on every database that ran it",
  prisma: 'Prisma keeps a checksum of every applied migration.sql: `prisma migrate dev` reports it modified after it was applied and wants to reset the database, and `migrate deploy` never runs the edit',
};

function lineOf(file: SourceFile, offset: number): { start: number; end: number } {
  const text = file.text;
  let start = Math.min(offset, text.length);
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return { start, end: lineEnd(text, offset) };
}

export default defineRule({
  meta: {
    id: 'no-modified-migration',
    description: 'A migration that already existed at the --changed-since ref was edited: databases that already ran it never see the edit.',
    help: 'Revert the edit and put the change in a new migration; only a migration that has run nowhere yet may be edited.',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkMigration(ctx) {
    const changes = ctx.set.changes;
    if (!changes || ctx.direction !== 'up') return;
    const m = ctx.migration;
    // The up: its own file, or the up section of a file that holds both directions.
    const up: Section | null = m.up ?? (m.file !== m.down?.file ? { file: m.file, start: 0, end: m.file.text.length } : null);
    if (!up) return;
    const change = changes.files.get(up.file.path);
    if (!change || change.status !== 'modified' || change.baseText === undefined) return;
    const checksum = CHECKSUM[ctx.format];
    const lang: TokenLanguage | 'text' = checksum ? 'text' : /\.(?:[cm]?[jt]s)$/i.test(up.file.path) ? 'js' : ctx.dialect;
    const range = changedRange(change.baseText, up.file.text, lang);
    if (!range) return;
    // A change confined to the down section of the same file runs fine (a down runs from the
    // current file); anything else in the file (a Knex module's constants) counts.
    const down = m.down && m.down.file === up.file ? m.down : null;
    const inDown = (offset: number): boolean => down !== null && offset >= down.start && offset < down.end;
    if (!checksum && down && inDown(range.start) && range.end <= down.end) return;
    const at = !checksum && down && inDown(range.start) ? down.end : range.start;
    const span = { file: up.file, ...lineOf(up.file, at) };
    if (span.end === span.start) span.end = Math.min(up.file.text.length, span.start + 1);
    const renamed = change.renamedFrom ? ` (renamed from ${change.renamedFrom})` : '';
    const why = checksum ?? 'databases that already ran it will never run the edited version';
    ctx.report({
      span,
      message: `Migration "${m.name}"${renamed} already existed at ${changes.ref} and was edited (first change on this line): ${why}.`,
    });
  },
});
