import { lineEnd } from '../src/engine/rule-support.js';
import { defineRule } from '../src/engine/rule.js';
import type { FormatId, Section, Span } from '../src/model.js';

/** The marker line just above a section (`-- migrate:down`), or the section's first line. */
function headerSpan(section: Section): Span {
  const text = section.file.text;
  let end = section.start;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  let start = end;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  if (end > start) return { file: section.file, start, end };
  return firstLine(section.file, section.start);
}

function firstLine(file: Section['file'], from = 0): Span {
  return { file, start: from, end: lineEnd(file.text, from) };
}

/** Where the framework looks for the down, as a hint in the message. */
function expectedDown(format: FormatId, name: string): string {
  switch (format) {
    case 'golang-migrate':
      return ` (expected ${name.replace(/\.up\.sql$/i, '.down.sql')} beside it)`;
    case 'flyway':
      return ` (expected the undo script U${name.slice(1)})`;
    case 'diesel':
      return ' (expected down.sql in its folder)';
    case 'dbmate':
      return ' (expected a `-- migrate:down` section)';
    case 'goose':
      return ' (expected a `-- +goose Down` section)';
    case 'sql-migrate':
      return ' (expected a `-- +migrate Down` section)';
    case 'knex':
      return ' (expected an exported down function; Knex refuses a migration without one)';
    default:
      return '';
  }
}

export default defineRule({
  meta: {
    id: 'require-down',
    // The formats that have down migrations.
    formats: ['dbmate', 'goose', 'sql-migrate', 'golang-migrate', 'diesel', 'flyway', 'knex'],
    description: 'A migration in a format with down migrations has no down, or an empty one.',
    help: 'Write a down that undoes the up, so a bad deploy can be rolled back; if it cannot be undone, say so with a statement that fails loudly.',
    defaultLevel: 'warn',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkMigration(ctx) {
    if (ctx.direction !== 'up') return;
    const m = ctx.migration;
    if (m.downState === 'missing') {
      const span = !m.up ? firstLine(m.file) : ctx.format === 'knex' ? firstLine(m.file, m.up.start) : m.up.start > 0 ? headerSpan(m.up) : firstLine(m.file);
      ctx.report({ span, message: `Migration "${m.name}" has no down migration${expectedDown(ctx.format, m.name)}.` });
    } else if (m.downState === 'present' && ctx.statements.down !== null && ctx.statements.down.length === 0) {
      // Knex: the down function's first line; SQL layouts: the down marker or the down file.
      const span = !m.down ? firstLine(m.file) : ctx.format === 'knex' ? firstLine(m.down.file, m.down.start) : headerSpan(m.down);
      ctx.report({ span, message: `The down migration of "${m.name}" has no statements.` });
    }
  },
});
