/**
 * Questions several rules ask about the migration being linted: is a transaction open here,
 * which lock does an operation take, does a type change rewrite the table.
 */
import type { ColumnInfo, Fix, FormatId, Operation, SourceFile, Span, Statement, TableRef } from '../model.js';
import { parsePgType, type PgType } from './pg-types.js';
import { tableName, type OperationKind, type RuleContext } from './rule.js';

/** Frameworks that send a whole migration file as one query (one implicit transaction when it holds several statements). */
export const ONE_QUERY_FORMATS: readonly FormatId[] = ['golang-migrate', 'prisma'];

/** A BEGIN earlier in this migration is still open (no COMMIT/ROLLBACK after it). */
export function explicitTransactionOpen(previous: readonly Operation[]): boolean {
  return lastTransaction(previous)?.action === 'begin';
}

type TransactionOp = Extract<Operation, { kind: 'transaction' }>;
type OpOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

interface Found {
  readonly at: number[];
  readonly ops: Operation[];
}

interface KindList extends Found {
  /** How many operations of the array were looked at. */
  scanned: number;
  /** By key function: how many of `ops` are filed, and under which key. */
  keyed?: Map<(op: never) => string | undefined, { filed: number; readonly byKey: Map<string, Found> }>;
}

/**
 * The operations of one kind in an array of them (`ctx.previous`, a migration's operations),
 * remembered per array and kind and extended as the array grows: the engine's `ctx.previous`
 * only ever gains operations at its end, and rules asking on every operation "was there a BEGIN,
 * a SET, an ADD CONSTRAINT ... earlier" would otherwise rescan it each time (quadratic in the
 * statements of a migration: minutes on a 50 MB file). Each kind is gathered only when asked for.
 */
const kindIndex = new WeakMap<readonly Operation[], Map<OperationKind, KindList>>();

function indexed(ops: readonly Operation[], kind: OperationKind): KindList {
  let kinds = kindIndex.get(ops);
  if (!kinds) kindIndex.set(ops, (kinds = new Map()));
  let list = kinds.get(kind);
  if (!list || list.scanned > ops.length) kinds.set(kind, (list = { scanned: 0, at: [], ops: [] }));
  for (let i = list.scanned; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.kind !== kind) continue;
    list.at.push(i);
    list.ops.push(op);
  }
  list.scanned = ops.length;
  return list;
}

/** Indices in `ops` of its operations of `kind`, in order. */
export function indicesOfKind(ops: readonly Operation[], kind: OperationKind): readonly number[] {
  return indexed(ops, kind).at;
}

/** The operations of `kind` in `ops`, in order. */
export function opsOfKind<K extends OperationKind>(ops: readonly Operation[], kind: K): readonly OpOf<K>[] {
  return indexed(ops, kind).ops as OpOf<K>[];
}

const NOTHING: Found = { at: [], ops: [] };

/**
 * The operations of `kind` in `ops` whose `keyOf` is `key` (and their indices), in order: filed
 * by key as the array grows, so a rule asking about one table or constraint name on every
 * operation looks it up instead of going through every operation of the kind (thousands of
 * DROP TABLEs after thousands of INSERTs). `keyOf` is one function per question, kept by the
 * caller: the filing is remembered per function.
 */
export function opsOfKindKeyed<K extends OperationKind>(ops: readonly Operation[], kind: K, keyOf: (op: OpOf<K>) => string | undefined, key: string): { readonly at: readonly number[]; readonly ops: readonly OpOf<K>[] } {
  const list = indexed(ops, kind);
  list.keyed ??= new Map();
  let filing = list.keyed.get(keyOf);
  if (!filing) list.keyed.set(keyOf, (filing = { filed: 0, byKey: new Map() }));
  for (; filing.filed < list.ops.length; filing.filed++) {
    const k = keyOf(list.ops[filing.filed] as OpOf<K>);
    if (k === undefined) continue;
    let found = filing.byKey.get(k);
    if (!found) filing.byKey.set(k, (found = { at: [], ops: [] }));
    found.at.push(list.at[filing.filed]!);
    found.ops.push(list.ops[filing.filed]!);
  }
  return (filing.byKey.get(key) ?? NOTHING) as { at: number[]; ops: OpOf<K>[] };
}

/**
 * A table reference as `schema.name` (`public` left out), lower-cased: two references any
 * dialect's `schema.same` takes for one table share it (a key for `opsOfKindKeyed`).
 */
export const tableKey = (t: TableRef): string => (t.schema && t.schema !== 'public' ? `${t.schema}.${t.name}` : t.name).toLowerCase();

const flattened = new WeakMap<readonly Statement[], { readonly count: number; readonly ops: readonly Operation[] }>();

/** Every operation of `statements` (a migration's up or down), in order: one array per statements array. */
export function statementOps(statements: readonly Statement[]): readonly Operation[] {
  let seen = flattened.get(statements);
  if (!seen || seen.count !== statements.length) {
    const ops: Operation[] = [];
    for (const s of statements) for (const op of s.ops) ops.push(op);
    flattened.set(statements, (seen = { count: statements.length, ops }));
  }
  return seen.ops;
}

/** Indices of the transaction-control operations (BEGIN, COMMIT, ...) in `previous`. */
export function transactionIndices(previous: readonly Operation[]): readonly number[] {
  return indicesOfKind(previous, 'transaction');
}

/** The last transaction-control operation of `previous` before index `end` (default: all of it). */
export function lastTransaction(previous: readonly Operation[], end = previous.length): TransactionOp | undefined {
  const at = transactionIndices(previous);
  for (let i = at.length - 1; i >= 0; i--) if (at[i]! < end) return previous[at[i]!] as TransactionOp;
  return undefined;
}

/** The current operation runs inside a transaction: an explicit BEGIN, the framework's own, or a one-query file. */
export function inTransaction(ctx: RuleContext): boolean {
  if (explicitTransactionOpen(ctx.previous)) return true;
  // After an explicit COMMIT inside the migration, the rest runs in autocommit unless the framework wraps it.
  if (ctx.migration.transaction === 'transaction') return true;
  const own = (ctx.direction === 'up' ? ctx.statements.up : ctx.statements.down) ?? [];
  return ONE_QUERY_FORMATS.includes(ctx.format) && own.length > 1;
}

/** The table existed before this migration (or predates the chain): the application uses it. */
export function isExistingTable(t: TableRef, ctx: RuleContext): boolean {
  return !ctx.schema.isNewTable(t, ctx.migration.id);
}

/** The column was added by this migration (to a table that may be old). */
export function isNewColumn(t: TableRef, column: string, ctx: RuleContext): boolean {
  return ctx.schema.isNewTable(t, ctx.migration.id) || ctx.schema.column(t, column)?.createdIn === ctx.migration.id;
}

export type LockMode = 'ACCESS EXCLUSIVE' | 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'EXCLUSIVE';
const BLOCKING_MODES: readonly LockMode[] = ['ACCESS EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE'];

/**
 * The kinds `blockingLock` may give ACCESS EXCLUSIVE for (kept beside its switch): a rule that
 * looks for that lock among earlier operations files them by these kinds only. A test
 * (test/engine-lock-kinds.test.ts) keeps the two in agreement.
 */
export const ACCESS_EXCLUSIVE_KINDS: ReadonlySet<OperationKind> = new Set<OperationKind>([
  'add-column', 'drop-column', 'rename-column', 'set-not-null', 'drop-not-null', 'set-default', 'alter-column-type', 'drop-constraint',
  'rename-table', 'drop-table', 'truncate', 'add-constraint', 'drop-index', 'vacuum', 'cluster', 'detach-partition', 'lock-table',
]);

/** Index of the first element of the ascending `indices` greater than `at` (`indices.length` when none is). */
export function firstIndexAfter(indices: readonly number[], at: number): number {
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (indices[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The table-level lock a Postgres operation takes that blocks reads or writes of `table`
 * (SHARE UPDATE EXCLUSIVE and weaker lock nothing a client does: undefined).
 */
export function blockingLock(op: Operation, ctx?: RuleContext): { table: TableRef; mode: LockMode } | undefined {
  switch (op.kind) {
    case 'add-column':
    case 'drop-column':
    case 'rename-column':
    case 'set-not-null':
    case 'drop-not-null':
    case 'set-default':
    case 'alter-column-type':
    case 'drop-constraint':
    case 'rename-table':
    case 'drop-table':
      return { table: op.table, mode: 'ACCESS EXCLUSIVE' };
    case 'truncate':
      return op.tables[0] ? { table: op.tables[0], mode: 'ACCESS EXCLUSIVE' } : undefined;
    case 'add-constraint':
      // A foreign key takes SHARE ROW EXCLUSIVE (writes wait); the others ACCESS EXCLUSIVE.
      if (op.constraint === 'foreign-key') return { table: op.table, mode: 'SHARE ROW EXCLUSIVE' };
      return { table: op.table, mode: 'ACCESS EXCLUSIVE' };
    case 'validate-constraint':
      return undefined; // SHARE UPDATE EXCLUSIVE
    case 'create-index':
      return op.concurrently ? undefined : { table: op.table, mode: 'SHARE' };
    case 'drop-index': {
      const table = op.table ?? ctx?.schema.index(op.name)?.table;
      return op.concurrently || !table ? undefined : { table, mode: 'ACCESS EXCLUSIVE' };
    }
    case 'reindex': {
      const table = op.table ?? (op.target === 'index' ? ctx?.schema.index(op.name)?.table : undefined);
      return !op.concurrently && table ? { table, mode: 'SHARE' } : undefined;
    }
    case 'vacuum':
      return op.full && op.tables[0] ? { table: op.tables[0], mode: 'ACCESS EXCLUSIVE' } : undefined;
    case 'cluster':
      return op.table ? { table: op.table, mode: 'ACCESS EXCLUSIVE' } : undefined;
    case 'detach-partition':
      return op.concurrently ? undefined : { table: op.table, mode: 'ACCESS EXCLUSIVE' };
    case 'lock-table':
      // The modes that block plain reads (ACCESS EXCLUSIVE) or writes (SHARE and up).
      return op.tables[0] && BLOCKING_MODES.includes(op.mode as LockMode) ? { table: op.tables[0], mode: op.mode as LockMode } : undefined;
    default:
      return undefined;
  }
}

/** The table of a DROP INDEX: the one the source named, else the one the chain built the index on. */
export function dropIndexTable(op: Extract<Operation, { kind: 'drop-index' }>, ctx: RuleContext): TableRef | undefined {
  return op.table ?? ctx.schema.index(op.name)?.table;
}

/** `SET [LOCAL] <setting> = <value>` earlier in this migration, to a value that is not 0 (no limit). */
export function settingSet(previous: readonly Operation[], name: string): boolean {
  let set = false;
  for (const p of opsOfKind(previous, 'set-setting')) {
    if (p.name !== name) continue;
    set = p.value !== null && !/^\s*0+\s*(?:ms|s|min)?\s*$/i.test(p.value);
  }
  return set;
}

/** The operation kinds that declare columns (see `declaredColumns`): a column-type rule's `operationKinds`. */
export const DECLARING_KINDS = ['create-table', 'add-column', 'alter-column-type'] as const;
type DeclaringOp = Extract<Operation, { kind: (typeof DECLARING_KINDS)[number] }>;

/** Columns an operation declares (CREATE TABLE, ADD COLUMN), with the span to report them at. */
export function declaredColumns(op: DeclaringOp): { table: TableRef; column: import('../model.js').ColumnInfo; span: import('../model.js').Span }[] {
  if (op.kind === 'create-table') return op.columns.map((column) => ({ table: op.table, column, span: op.span }));
  if (op.kind === 'add-column') return [{ table: op.table, column: op.column, span: op.span }];
  // ALTER COLUMN ... TYPE declares the column anew.
  if (op.kind === 'alter-column-type') {
    const column = { name: op.column, notNull: false, hasDefault: false, constantDefault: false, ...(op.type ? { type: op.type } : {}), ...(op.fullType ? { fullType: op.fullType } : {}) };
    return [{ table: op.table, column, span: op.span }];
  }
  return [];
}

/**
 * The body of a column-type rule: reports every column declared by `op` (CREATE TABLE, ADD
 * COLUMN, ALTER COLUMN ... TYPE) whose Postgres type `matches` (`raw` is the type as written,
 * lower-cased: `serial` is gone from the parsed type).
 */
export function reportDeclaredTypes(
  op: DeclaringOp,
  ctx: RuleContext,
  matches: (type: PgType, raw: string) => boolean,
  message: string | ((type: PgType, raw: string) => string),
  fixes?: (column: ColumnInfo, span: Span) => readonly Fix[],
): void {
  for (const { table, column, span } of declaredColumns(op)) {
    const type = parsePgType(column.fullType ?? column.type);
    const raw = (column.type ?? '').toLowerCase();
    if (!type || !matches(type, raw)) continue;
    const fix = fixes?.(column, span) ?? [];
    ctx.report({ span, message: `"${tableName(table)}"."${column.name}" ${typeof message === 'string' ? message : message(type, raw)}`, ...(fix.length > 0 ? { fixes: fix } : {}) });
  }
}

/**
 * DROP INDEX / REINDEX INDEX (without CONCURRENTLY) of an index the chain never saw: its table
 * is unknown, but it predates the chain, so it is an existing table the statement locks.
 */
function indexOfUnknownTable(op: Operation): { table: TableRef; mode: LockMode; index: string } | undefined {
  if (op.kind === 'drop-index' && !op.concurrently && !op.table) return { table: { name: op.name }, mode: 'ACCESS EXCLUSIVE', index: op.name };
  if (op.kind === 'reindex' && op.target === 'index' && !op.concurrently && !op.table) return { table: { name: op.name }, mode: 'SHARE', index: op.name };
  return undefined;
}

/** How a lock's table reads in a message: `"t"`, or `the table of index "i"` when only the index is known. */
export function lockedTableName(lock: { table: TableRef; index?: string }): string {
  return lock.index !== undefined ? `the table of index "${lock.index}"` : `"${tableName(lock.table)}"`;
}

/**
 * The first operation of a migration (and direction) that locks an existing table against reads
 * or writes while `setting` (lock_timeout, statement_timeout) was not set earlier in it: once per
 * walk (`ctx.previous` is one array per walk), undefined otherwise.
 */
export function firstUnboundedLock(op: Operation, ctx: RuleContext, setting: string, reported: WeakSet<object>): { table: TableRef; mode: LockMode; index?: string } | undefined {
  const lock = blockingLock(op, ctx) ?? indexOfUnknownTable(op);
  if (!lock || ctx.schema.isNewTable(lock.table, ctx.migration.id)) return undefined;
  if (settingSet(ctx.previous, setting) || reported.has(ctx.previous)) return undefined;
  reported.add(ctx.previous);
  return lock;
}

/** Offset of the end of the line holding `offset` (before its line break, or the text's end). */
export function lineEnd(text: string, offset: number): number {
  let end = Math.min(offset, text.length);
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

/**
 * The first line of a file, at least one character wide when the file has any: where a finding
 * about a whole migration (its name, its place in the set) is reported.
 */
export function fileHeadSpan(file: SourceFile): Span {
  const end = lineEnd(file.text, 0);
  return { file, start: 0, end: Math.max(end, Math.min(1, file.text.length)) };
}

/** The configured MySQL version is at least `min` (`8.0.12`); versions compare part by part. */
export function mysqlAtLeast(ctx: RuleContext, min: string): boolean {
  const a = ctx.mysqlVersion.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** MariaDB numbers its releases 10.x and 11.x; MySQL's are 5.x and 8.x (9.x). */
export function isMariaDb(ctx: RuleContext): boolean {
  return Number(ctx.mysqlVersion.split('.')[0]) >= 10;
}
