/**
 * no-identifier-too-long: a name longer than the database keeps. Postgres silently truncates
 * identifiers to 63 bytes (NAMEDATALEN - 1, counted in UTF-8 bytes, cut at a character
 * boundary); MySQL refuses names over 64 characters. Checks every name a migration gives: tables,
 * views, schemas, columns, indexes (Knex's generated `<table>_<cols>_index` names included),
 * constraints, and rename targets.
 */
import { defineRule, tableName } from '../src/engine/rule.js';
import type { Dialect, Operation, Span, TableRef } from '../src/model.js';

const LIMIT: Partial<Record<Dialect, { max: number; unit: 'bytes' | 'characters' }>> = {
  postgres: { max: 63, unit: 'bytes' },
  mysql: { max: 64, unit: 'characters' },
};

/** A name and what it names (`of`: the table of a column, named in the message only). */
type Named = { what: string; name: string; of: TableRef | undefined };

/** The operation kinds that name new objects: the rule looks at these only. */
const NAMING_KINDS = ['create-table', 'create-view', 'create-schema', 'rename-table', 'add-column', 'rename-column', 'create-index', 'add-constraint'] as const;

/** The names an operation gives to new objects. */
function namesOf(op: Extract<Operation, { kind: (typeof NAMING_KINDS)[number] }>): Named[] {
  switch (op.kind) {
    case 'create-table': {
      const names: Named[] = [{ what: 'table', name: op.table.name, of: undefined }];
      for (const c of op.columns) names.push({ what: 'column', name: c.name, of: op.table });
      return names;
    }
    case 'create-view':
      return [{ what: op.materialized ? 'materialized view' : 'view', name: op.table.name, of: undefined }];
    case 'create-schema':
      return [{ what: 'schema', name: op.name, of: undefined }];
    case 'rename-table':
      return [{ what: 'table', name: op.to, of: undefined }];
    case 'add-column':
      return [{ what: 'column', name: op.column.name, of: op.table }];
    case 'rename-column':
      return [{ what: 'column', name: op.to, of: op.table }];
    case 'create-index':
      return op.name ? [{ what: 'index', name: op.name, of: undefined }] : [];
    case 'add-constraint':
      return op.name ? [{ what: 'constraint', name: op.name, of: undefined }] : [];
    default:
      return [];
  }
}

const length = (name: string, unit: 'bytes' | 'characters'): number => (unit === 'bytes' ? Buffer.byteLength(name, 'utf8') : [...name].length);

/** The first `max` bytes of `name`, cut back to a whole character (what Postgres keeps). */
function truncated(name: string, max: number): string {
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch, 'utf8') > max) break;
    out += ch;
  }
  return out;
}

/**
 * Identifier tokens of a Postgres statement's text, folded as Postgres folds them (bare names
 * lower-cased, quoted ones unescaped), skipping strings, dollar quotes and comments. The parser
 * hands migralint names already truncated to 63 bytes: the long originals are read from here.
 */
function* pgIdentifiers(text: string, start: number, end: number): Generator<{ name: string; start: number; end: number }> {
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      while (i < end && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
    } else if (c === "'") {
      i++;
      while (i < end && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
      i++;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(text.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64))![0];
      const close = text.indexOf(tag, i + tag.length);
      i = close < 0 ? end : close + tag.length;
    } else if (c === '"') {
      let j = i + 1;
      let name = '';
      while (j < end) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            name += '"';
            j += 2;
            continue;
          }
          break;
        }
        name += text[j++];
      }
      yield { name, start: i, end: j + 1 };
      i = j + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < end && /[\w$\u0080-\uffff]/.test(text[j]!)) j++;
      yield { name: text.slice(i, j).toLowerCase(), start: i, end: j };
      i = j;
    } else i++;
  }
}

export default defineRule({
  meta: {
    id: 'no-identifier-too-long',
    description: 'A table, column, index or constraint name longer than the database keeps: Postgres silently truncates it to 63 bytes, MySQL refuses names over 64 characters.',
    help: 'Give it a shorter name (for a generated Knex index name, pass an explicit one: `table.index(cols, "short_name")`).',
    defaultLevel: 'warn',
    dialects: ['postgres', 'mysql'],
    recommended: true,
  },
  operationKinds: NAMING_KINDS,
  checkOperation(op, ctx) {
    const limit = LIMIT[ctx.dialect];
    if (!limit) return;
    for (const named of namesOf(op)) {
      let name = named.name;
      // At most 3 UTF-8 bytes per UTF-16 unit: under 60 bytes, and under either limit, for sure.
      if (name.length * 3 < 60) continue;
      let span: Span = op.span;
      // Postgres's parser truncated the name already (at a character boundary: 60 to 63 bytes
      // are left): find the original in the statement.
      const stmt = ctx.statement;
      if (ctx.dialect === 'postgres' && length(name, 'bytes') >= 60 && length(name, 'bytes') <= 63 && stmt && stmt.span.file === op.span.file) {
        for (const token of pgIdentifiers(stmt.span.file.text, stmt.span.start, stmt.span.end)) {
          if (length(token.name, 'bytes') > 63 && truncated(token.name, 63) === name) {
            name = token.name;
            span = { file: stmt.span.file, start: token.start, end: token.end };
            break;
          }
        }
      }
      const n = length(name, limit.unit);
      if (n <= limit.max) continue;
      const what = named.of ? `${named.what} of "${tableName(named.of)}"` : named.what;
      const message =
        ctx.dialect === 'postgres'
          ? `The ${what} name "${name}" is ${n} bytes long: Postgres keeps only the first 63 and names it "${truncated(name, 63)}" with only a NOTICE: schema diffs and ORMs that compare names see a different one, and another name with the same first 63 bytes collides with it.`
          : `The ${what} name "${name}" is ${n} characters long: MySQL refuses names over 64 characters ("Identifier name ... is too long"), so the migration fails.`;
      ctx.report({ span, message });
    }
  },
});
