/** `migralint sql FILE`: the SQL a Knex migration would run, from the static reading of it. */
import path from 'node:path';
import { readSourceFile } from '../discover/read-file.js';
import type { Statement } from '../model.js';
import { offsetToPosition } from '../report/location.js';
import { knexfileSets } from '../sources/knex.js';
import { nearestKnexfile } from '../sources/knexfile-location.js';
import { dialectOfClient } from '../sources/knex/knexfile.js';
import { interpretKnexFile } from '../sources/knex/interpret.js';
import { createRawSqlParser } from '../sources/knex/raw.js';
import { knexToSql, type KnexClient } from '../sources/knex/to-sql.js';
import { loadParser } from '../sql/parser.js';
import { escapeInline, escapeMultiline } from '../report/escape.js';
import type { Io } from './main.js';
import { UsageError } from './main.js';

const CLIENT_OF = { postgres: 'pg', sqlite: 'sqlite3', mysql: 'mysql2' } as const;

/** The client named by the nearest knexfile above the migration (up to the filesystem root). */
function clientFromKnexfile(file: string): KnexClient | undefined {
  const knexfile = nearestKnexfile(path.dirname(file));
  if (!knexfile) return undefined;
  const read = readSourceFile(knexfile, path.dirname(knexfile));
  const dialect = read.ok ? knexfileSets(read.file).dialect : undefined;
  return dialect ? CLIENT_OF[dialect] : undefined;
}

export async function printKnexSql(given: string, clientOption: KnexClient | undefined, io: Io): Promise<number> {
  const abs = path.resolve(io.cwd, given);
  const read = readSourceFile(abs, io.cwd);
  if (!read.ok) throw new UsageError(`${read.problem.path}: ${read.problem.reason}`);
  const client = clientOption ?? clientFromKnexfile(abs) ?? 'pg';
  const dialect = dialectOfClient(client)!;
  const { parseRawSql, errors } = createRawSqlParser(await loadParser(dialect));
  const analysis = interpretKnexFile(read.file, dialect, parseRawSql);
  const problems = [...analysis.findings, ...errors];
  for (const p of problems) {
    const at = offsetToPosition(p.span.file, p.span.start);
    io.stderr(`migralint: ${escapeInline(`${read.file.relPath}:${at.line}:${at.column}: ${p.message}`)}\n`);
  }
  const shown = escapeInline(read.file.relPath);
  const out: string[] = [`-- ${shown} (knex client ${client}; read statically, not run)`];
  const section = async (title: string, statements: Statement[] | null): Promise<void> => {
    out.push('', `-- ${title}`);
    if (statements === null) {
      out.push(`-- (no ${title} export)`);
      return;
    }
    for (const s of await knexToSql(statements, client)) {
      const at = offsetToPosition(s.span.file, s.span.start);
      out.push(`-- ${shown}:${at.line}:${at.column}`);
      out.push(s.unavailable ? `-- not available: ${escapeInline(s.unavailable)}` : `${s.sql.replace(/;?\s*$/, '')};`);
    }
  };
  await section('up', analysis.up);
  await section('down', analysis.down);
  // A debugging aid read by a person: names and SQL shown without their control characters.
  io.stdout(`${escapeMultiline(out.join('\n'))}\n`);
  return problems.length > 0 ? 1 : 0;
}
