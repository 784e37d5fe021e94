/**
 * The contract every SQL dialect parser fulfils, and the lazy loader that picks one.
 * Parsers of other dialects are loaded only when a run meets a set of that dialect.
 */
import { createRequire } from 'node:module';
import type { Dialect, RawFinding, Section, Statement } from '../model.js';
import { withPlaceholdersMasked } from './template-placeholders.js';

export interface ParseOutcome {
  /** Statements in source order, spans relative to the section's file. */
  readonly statements: Statement[];
  /** `syntax-error` findings at the parser's position; statements before the error are kept. */
  readonly errors: RawFinding[];
}

/** Parses the SQL text of one section (`section.file.text.slice(section.start, section.end)`). */
export type SectionParser = (section: Section) => ParseOutcome;

const loaded = new Map<Dialect, Promise<SectionParser>>();
const ready = new Map<Dialect, SectionParser>();
const requireHere = createRequire(import.meta.url);

/**
 * The parser of a dialect, synchronously (for the ESLint plugin, whose parse and rules cannot
 * await). Postgres needs an asynchronous WebAssembly start: `await loadParser('postgres')` once
 * before. The SQLite and MySQL parsers are loaded here on first use (Node's require of ES
 * modules), so a Postgres-only ESLint run never pays for them.
 */
export function loadParserSync(dialect: Dialect): SectionParser {
  let parser = ready.get(dialect);
  if (parser) return parser;
  switch (dialect) {
    case 'postgres':
      throw new Error('the Postgres parser must be started with `await loadParser("postgres")` before it is used synchronously');
    case 'sqlite':
      parser = (requireHere('./sqlite.js') as typeof import('./sqlite.js')).createSqliteParser();
      break;
    case 'mysql':
      parser = (requireHere('./mysql.js') as typeof import('./mysql.js')).createMysqlParser();
      break;
  }
  parser = withPlaceholdersMasked(parser, dialect);
  ready.set(dialect, parser);
  return parser;
}

export function loadParser(dialect: Dialect): Promise<SectionParser> {
  let p = loaded.get(dialect);
  if (!p) {
    p = (async (): Promise<SectionParser> => {
      switch (dialect) {
        case 'postgres':
          return (await import('./postgres.js')).createPostgresParser();
        case 'sqlite':
          return (await import('./sqlite.js')).createSqliteParser();
        case 'mysql':
          return (await import('./mysql.js')).createMysqlParser();
      }
    })().then((loadedParser) => {
      const parser = withPlaceholdersMasked(loadedParser, dialect);
      ready.set(dialect, parser);
      return parser;
    });
    loaded.set(dialect, p);
  }
  return p;
}
