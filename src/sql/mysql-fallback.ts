/**
 * Valid MySQL/MariaDB that neither node-sql-parser nor sql-parser-cst parses must not become a
 * syntax error. Where both reject a statement, this tolerant classifier decides whether it is
 * one migralint does not analyse anyway, from its shape:
 *
 * - statement kinds no rule looks at (LOCK TABLES, CREATE USER, CREATE SEQUENCE, ALTER DATABASE,
 *   views, ...): kept as `other`, whatever follows the leading keywords;
 * - ALTER TABLE clauses that change no column, index or constraint a rule checks (table options
 *   such as ENGINE= and CONVERT TO CHARACTER SET, partition maintenance, RENAME INDEX, FORCE):
 *   blanked out (same length, so offsets stay put) and the rest parsed again, so a DROP COLUMN
 *   beside `ENGINE=InnoDB` is still lowered and checked;
 * - CREATE TABLE table options and PARTITION BY after the column list: blanked the same way.
 *
 * A syntax error is reported only where the remaining text still fails: at the real culprit.
 * Every shape listed here was checked on MariaDB 10.11 (test/sql-mysql-fallback.test.ts replays
 * them when a server is reachable).
 */
import type { Operation, Statement, TableRef } from '../model.js';
import type { OneStatement, StatementInput } from './sqlite-mysql-driver.js';
import { splitOnCommas, splitStatements, wordOf, type Token } from './sqlite-mysql-split.js';

/** Leading words of statements no rule analyses (checked before the parsers' verdict is final). */
const UNANALYSED_LEADS: readonly (readonly string[])[] = [
  ['LOCK', 'TABLE'], ['LOCK', 'TABLES'], ['UNLOCK', 'TABLE'], ['UNLOCK', 'TABLES'],
  ['USE'], ['DO'], ['HANDLER'], ['PREPARE'], ['EXECUTE'], ['DEALLOCATE'], ['XA'], ['SAVEPOINT'], ['RELEASE'],
  ['INSTALL'], ['UNINSTALL'], ['SHOW'], ['DESCRIBE'], ['DESC'], ['EXPLAIN'], ['HELP'], ['KILL'], ['RESET'], ['PURGE'],
  ['CHANGE'], ['BINLOG'], ['CACHE', 'INDEX'], ['LOAD', 'INDEX'], ['CHECK', 'TABLE'], ['RENAME', 'USER'], ['SIGNAL'], ['RESIGNAL'],
  ...['CREATE', 'ALTER', 'DROP'].flatMap((verb) =>
    ['DATABASE', 'SCHEMA', 'USER', 'ROLE', 'SERVER', 'TABLESPACE', 'LOGFILE', 'SEQUENCE', 'VIEW', 'RESOURCE', 'SPATIAL', 'PACKAGE'].map((what) => [verb, what]),
  ),
];

/** CREATE/ALTER prefixes that may stand before VIEW (`CREATE OR REPLACE ALGORITHM=MERGE DEFINER=x SQL SECURITY INVOKER VIEW`). */
const VIEW_PREFIX = new Set(['OR', 'REPLACE', 'ALGORITHM', 'DEFINER', 'SQL', 'SECURITY', 'INVOKER', 'UNDEFINED', 'MERGE', 'TEMPTABLE', '=', '@', 'CURRENT_USER', 'IF', 'NOT', 'EXISTS']);

/** ALTER TABLE clauses no rule reads, by their normalised text. */
const UNANALYSED_ALTER_CLAUSES: readonly RegExp[] = [
  // Table options.
  /^(?:ENGINE|AUTO_INCREMENT|AVG_ROW_LENGTH|CHECKSUM|PAGE_CHECKSUM|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL|COMMENT|COMPRESSION|CONNECTION|DATA DIRECTORY|INDEX DIRECTORY|DELAY_KEY_WRITE|ENCRYPTION|ENCRYPTED|ENCRYPTION_KEY_ID|IETF_QUOTES|INSERT_METHOD|KEY_BLOCK_SIZE|MAX_ROWS|MIN_ROWS|PACK_KEYS|PASSWORD|ROW_FORMAT|STATS_AUTO_RECALC|STATS_PERSISTENT|STATS_SAMPLE_PAGES|TABLESPACE|TRANSACTIONAL|UNION|SECONDARY_ENGINE|AUTOEXTEND_SIZE|ENGINE_ATTRIBUTE|SECONDARY_ENGINE_ATTRIBUTE|SEQUENCE)\b/,
  /^(?:DEFAULT )?(?:CHARACTER SET|CHARSET|COLLATE)\b/,
  /^CONVERT TO (?:CHARACTER SET|CHARSET)\b/,
  /^FORCE$/,
  /^(?:ENABLE|DISABLE) KEYS$/,
  /^(?:DISCARD|IMPORT) TABLESPACE$/,
  /^ORDER BY\b/,
  // Partitioning and partition maintenance.
  /^PARTITION BY\b/,
  /^(?:ADD|DROP|DISCARD|IMPORT|TRUNCATE|COALESCE|REORGANIZE|EXCHANGE|ANALYZE|CHECK|OPTIMIZE|REBUILD|REPAIR|CONVERT) PARTITION\b/,
  /^REMOVE PARTITIONING$/,
  /^UPGRADE PARTITIONING$/,
  /^(?:WITH|WITHOUT) VALIDATION$/,
  // Index and constraint attributes.
  /^RENAME (?:INDEX|KEY) \S+ TO \S+$/,
  /^ALTER INDEX \S+ (?:VISIBLE|INVISIBLE|IGNORED|NOT IGNORED)$/,
  /^ALTER (?:CHECK|CONSTRAINT) \S+ (?:NOT )?ENFORCED$/,
  // MariaDB system versioning and periods.
  /^(?:ADD|DROP) SYSTEM VERSIONING$/,
  /^(?:ADD )?PERIOD FOR\b/,
  /^DROP PERIOD FOR\b/,
];

/** CREATE TABLE options after the column list that no rule reads. */
const TABLE_OPTION = /^(?:DEFAULT )?(?:ENGINE|AUTO_INCREMENT|AVG_ROW_LENGTH|CHECKSUM|PAGE_CHECKSUM|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL|COMMENT|COMPRESSION|CONNECTION|DATA|INDEX|DELAY_KEY_WRITE|ENCRYPTION|ENCRYPTED|ENCRYPTION_KEY_ID|IETF_QUOTES|INSERT_METHOD|KEY_BLOCK_SIZE|MAX_ROWS|MIN_ROWS|PACK_KEYS|PASSWORD|ROW_FORMAT|STATS_AUTO_RECALC|STATS_PERSISTENT|STATS_SAMPLE_PAGES|TABLESPACE|TRANSACTIONAL|UNION|SECONDARY_ENGINE|AUTOEXTEND_SIZE|ENGINE_ATTRIBUTE|SECONDARY_ENGINE_ATTRIBUTE|SEQUENCE|CHARACTER|CHARSET|COLLATE|PARTITION|WITH)\b/;

function other(input: StatementInput, type: string): OneStatement {
  const statement: Statement = { span: input.span, type, ops: [{ kind: 'other', span: input.span, statement: type }] };
  return { ok: true, statement };
}

const normalised = (text: string, tokens: readonly Token[]): string => tokens.map((t) => text.slice(t.start, t.end).toUpperCase()).join(' ').replace(/ = /g, '=').replace(/ =/g, '=');

/** The statement with `[start, end)` ranges replaced by spaces (line breaks kept), re-tokenised. */
function blanked(input: StatementInput, ranges: readonly [number, number][]): StatementInput {
  let sql = input.sql;
  let original = input.original;
  for (const [start, end] of ranges) {
    const blank = (s: string) => s.slice(0, start) + s.slice(start, end).replace(/[^\r\n]/g, ' ') + s.slice(end);
    sql = blank(sql);
    original = blank(original);
  }
  const split = splitStatements(original, 'mysql')[0];
  return { ...input, sql, original, tokens: split ? split.tokens : [] };
}

/** The statement's tokens without comments, and its first `n` as words (keywords upper-cased). */
function leadingWords(input: StatementInput, n: number): { tokens: Token[]; words: string[] } {
  const tokens = input.tokens.filter((t) => t.kind !== 'comment');
  const words = tokens.slice(0, n).map((t) => (t.kind === 'word' ? wordOf(input.original, t) : input.original.slice(t.start, t.end)));
  return { tokens, words };
}

/**
 * `PREPARE s FROM @sql`: SQL built at run time (often a DROP COLUMN behind an information_schema
 * check). Said to be unchecked (`unanalyzable`) rather than passed over in silence as `other`.
 */
export function dynamicPrepare(input: StatementInput): OneStatement | undefined {
  const { tokens, words } = leadingWords(input, 8);
  const from = words[0] === 'PREPARE' ? words.indexOf('FROM') : -1;
  if (from < 0 || !words[from + 1]?.startsWith('@')) return undefined;
  const text = (t: Token | undefined): string => (t ? input.original.slice(t.start, t.end) : '');
  // `@` and the name are two tokens.
  const variable = words[from + 1] === '@' ? text(tokens[from + 1]) + text(tokens[from + 2]) : text(tokens[from + 1]);
  const reason = `this migration runs SQL prepared from ${variable} at run time (PREPARE ${text(tokens[1])} FROM ${variable}), which is not checked statically`;
  return { ok: true, statement: { span: input.span, type: 'prepare_stmt', ops: [{ kind: 'unanalyzable', span: input.span, reason }] } };
}

/**
 * For a statement both parsers rejected: a statement kept as `other`, the result of parsing it
 * again without the clauses no rule reads, or undefined (a syntax error after all).
 */
export function mysqlFallback(input: StatementInput, reparse: (input: StatementInput) => OneStatement): OneStatement | undefined {
  const { tokens, words } = leadingWords(input, 12);
  for (const lead of UNANALYSED_LEADS) {
    if (lead.every((w, i) => words[i] === w)) return other(input, `${lead.join('_').toLowerCase()}_stmt`);
  }
  if ((words[0] === 'CREATE' || words[0] === 'ALTER') && words.includes('VIEW')) {
    const view = words.indexOf('VIEW');
    if (words.slice(1, view).every((w) => VIEW_PREFIX.has(w) || /^[`'"]/.test(w) || /^\w+$/.test(w))) return other(input, `${words[0].toLowerCase()}_view_stmt`);
  }
  if (words[0] === 'ALTER') return alterTable(input, tokens, reparse);
  if (words[0] === 'CREATE') return createTable(input, tokens, reparse);
  return undefined;
}

/** Index of the first token after `ALTER [ONLINE|IGNORE] TABLE [IF EXISTS] name`, or -1. */
function afterAlterHeader(text: string, tokens: readonly Token[]): number {
  let k = 1;
  while (wordOf(text, tokens[k]) === 'ONLINE' || wordOf(text, tokens[k]) === 'IGNORE') k++;
  if (wordOf(text, tokens[k]) !== 'TABLE') return -1;
  k++;
  if (wordOf(text, tokens[k]) === 'IF' && wordOf(text, tokens[k + 1]) === 'EXISTS') k += 2;
  k++;
  while (k + 1 < tokens.length && tokens[k]!.kind === 'punct' && text[tokens[k]!.start] === '.') k += 2;
  return k < tokens.length ? k : -1;
}

function alterTable(input: StatementInput, tokens: readonly Token[], reparse: (input: StatementInput) => OneStatement): OneStatement | undefined {
  const text = input.original;
  const k = afterAlterHeader(text, tokens);
  if (k < 0) return undefined;
  const rest = tokens.slice(k);
  const groups = splitOnCommas(text, rest).filter((g) => g.length > 0);
  const skip = groups.map((g) => UNANALYSED_ALTER_CLAUSES.some((re) => re.test(normalised(text, g))));
  if (!skip.some(Boolean)) return undefined;
  // DROP / TRUNCATE PARTITION delete rows: blanked for the parser, but kept as operations.
  const partitionOps = dropPartitionOps(input, tokens.slice(0, k), groups);
  if (skip.every(Boolean)) {
    if (partitionOps.length === 0) return other(input, 'alter_table_options_stmt');
    return { ok: true, statement: { span: input.span, type: 'alter_table_stmt', ops: partitionOps } };
  }
  // Blank each skipped clause with the comma after it (the one before it, for the last).
  const ranges: [number, number][] = [];
  groups.forEach((g, i) => {
    if (!skip[i]) return;
    const next = groups[i + 1];
    const prev = groups[i - 1];
    if (next) ranges.push([g[0]!.start, next[0]!.start]);
    else if (prev) ranges.push([prev[prev.length - 1]!.end, g[g.length - 1]!.end]);
  });
  // Two neighbours blanked as "clause + following comma" leave the last kept clause's comma: a
  // kept clause followed only by skipped ones loses the comma after it.
  const lastKept = skip.lastIndexOf(false);
  if (lastKept >= 0 && lastKept < groups.length - 1) {
    const g = groups[lastKept]!;
    ranges.push([g[g.length - 1]!.end, groups[lastKept + 1]![0]!.start]);
  }
  const again = reparse(blanked(input, ranges));
  return again.ok ? { ok: true, statement: { ...again.statement, span: input.span, ops: [...again.statement.ops, ...partitionOps] } } : again;
}

/** `DROP PARTITION p, q` / `TRUNCATE PARTITION p | ALL` clauses among an ALTER TABLE's groups, as operations. */
function dropPartitionOps(input: StatementInput, header: readonly Token[], groups: readonly (readonly Token[])[]): Operation[] {
  const text = input.original;
  const unquote = (t: Token): string => text.slice(t.start, t.end).replace(/^[`"]|[`"]$/g, '');
  // The table: the last name of the header (`ALTER TABLE [IF EXISTS] [db.]name`).
  const name = header[header.length - 1];
  const qualified = header.length >= 3 && text[header[header.length - 2]!.start] === '.';
  const table: TableRef = name ? { ...(qualified ? { schema: unquote(header[header.length - 3]!) } : {}), name: unquote(name) } : { name: '?' };
  const ops: Operation[] = [];
  // Partition names after DROP/TRUNCATE PARTITION run on over the following comma-separated groups.
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const verb = wordOf(text, g[0]);
    if ((verb !== 'DROP' && verb !== 'TRUNCATE') || wordOf(text, g[1]) !== 'PARTITION' || !g[2]) continue;
    const parts = [unquote(g[2])];
    let last = g[g.length - 1]!;
    while (groups[i + 1]?.length === 1 && groups[i + 1]![0]!.kind === 'word') {
      i++;
      last = groups[i]![0]!;
      parts.push(unquote(last));
    }
    ops.push({ kind: 'drop-partition', span: { file: input.span.file, start: input.base + g[0]!.start, end: input.base + last.end }, table, partitions: parts, truncate: verb === 'TRUNCATE' });
  }
  return ops;
}

function createTable(input: StatementInput, tokens: readonly Token[], reparse: (input: StatementInput) => OneStatement): OneStatement | undefined {
  const text = input.original;
  let k = 1;
  if (wordOf(text, tokens[k]) === 'OR' && wordOf(text, tokens[k + 1]) === 'REPLACE') k += 2;
  if (wordOf(text, tokens[k]) === 'TEMPORARY') k++;
  if (wordOf(text, tokens[k]) !== 'TABLE') return undefined;
  // The column list: the first top-level parenthesis, and its match.
  const open = tokens.findIndex((t, i) => i > k && t.kind === 'punct' && text[t.start] === '(');
  if (open < 0) return undefined;
  let depth = 0;
  let close = -1;
  for (let i = open; i < tokens.length; i++) {
    const ch = tokens[i]!.kind === 'punct' ? text[tokens[i]!.start] : '';
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0 || close === tokens.length - 1) return undefined;
  // Options after it, up to an AS SELECT (which is analysed): from the first one the parsers
  // may not know to the end of the options.
  const tail = tokens.slice(close + 1);
  const selectAt = tail.findIndex((t) => ['AS', 'SELECT', 'IGNORE', 'REPLACE'].includes(wordOf(text, t)));
  const options = selectAt < 0 ? tail : tail.slice(0, selectAt);
  if (options.length === 0) return undefined;
  if (!TABLE_OPTION.test(normalised(text, options.slice(0, 3)))) return undefined;
  const again = reparse(blanked(input, [[options[0]!.start, options[options.length - 1]!.end]]));
  return again.ok ? { ok: true, statement: { ...again.statement, span: input.span } } : again;
}
