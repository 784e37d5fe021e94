/**
 * The contract every SQL dialect parser fulfils, and the lazy loader that picks one.
 * Parsers of other dialects are loaded only when a run meets a set of that dialect.
 */
import type { Dialect, RawFinding, Section, Statement } from '../model.js';

export interface ParseOutcome {
  /** Statements in source order, spans relative to the section's file. */
  readonly statements: Statement[];
  /** `syntax-error` findings at the parser's position; statements before the error are kept. */
  readonly errors: RawFinding[];
}

/** Parses the SQL text of one section (`section.file.text.slice(section.start, section.end)`). */
export type SectionParser = (section: Section) => ParseOutcome;

const loaded = new Map<Dialect, Promise<SectionParser>>();

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
    })();
    loaded.set(dialect, p);
  }
  return p;
}
