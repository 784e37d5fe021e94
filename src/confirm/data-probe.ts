/**
 * What happened to the rows of one table across a statement: cheap per-column counts and
 * checksums (`tableData`), and a per-row value comparison (`captureValues` / `compareValues`)
 * that says how many values of each surviving column changed, with one example.
 *
 * Rows are matched by the primary key, else by a unique index on NOT NULL columns (no predicate,
 * no expressions). A table without such a key is compared column by column as sorted multisets:
 * a change that only moves values between rows is then invisible, one that rounds, truncates or
 * shifts them is still counted.
 *
 * Values are compared as text renderings, so a column whose type changed is still comparable.
 * Renderings that only differ in form are equal: numbers compare by value (`1.5000` = `1.50`),
 * timestamps by instant, with a timestamp without zone read as UTC (`2024-03-10 02:30:00` =
 * `2024-03-10 02:30:00+00`, but `... 10:00:00` -> `... 10:00:00-05` is a shift of five hours).
 * A statement that fails (int -> smallint overflow) is an error for the caller, not a change here.
 */
import { createHash } from 'node:crypto';
import type { Driver } from './driver.js';
import { parseTableName, quoteIdent, quoteTable, tableKey, type TableRef } from './table-name.js';

export interface TableData {
  readonly rows: number;
  readonly columns: Record<string, { nonNull: number; checksum: string }>;
}

export interface ValueChange {
  readonly column: string;
  readonly changed: number;
  readonly example?: { before: string; after: string };
}

/** Everything `compareValues` found, for callers that also want what disappeared. */
export interface ValueComparison {
  readonly table: string;
  /** Columns still present whose values changed (only those with changed > 0), in column order. */
  readonly changes: ValueChange[];
  /** Captured columns that no longer exist (their values are lost, not changed). */
  readonly droppedColumns: string[];
  /** The table itself is gone. */
  readonly tableMissing: boolean;
  /** Captured rows whose key no longer matches a row (deleted, or the key itself changed). */
  readonly rowsMissing: number;
  /** How rows were matched: by key columns, or as sorted per-column multisets. */
  readonly matchedBy: { readonly key: string[] } | 'multiset';
}

interface Column {
  readonly name: string;
  readonly notNull: boolean;
}

interface TableShape {
  readonly columns: Column[];
  readonly key?: string[];
}

interface Capture {
  readonly kind: 'migralint-value-capture';
  readonly table: string;
  readonly ref: TableRef;
  readonly columns: string[];
  readonly key?: string[];
  /** One entry per row: key values then column values (text or null). */
  readonly rows: (string | null)[][];
}

/** Upper bound on captured rows: confirm seeds thousands, not millions. */
const CAPTURE_LIMIT = 200_000;

function refOf(table: string): TableRef {
  return parseTableName(table);
}

async function shapeOf(driver: Driver, ref: TableRef): Promise<TableShape | undefined> {
  if (driver.dialect === 'postgres') {
    const exists = await driver.query(`SELECT to_regclass($1)::oid::text AS oid`, [quoteTable(ref)]);
    const oid = exists.rows[0]?.oid;
    if (oid === null || oid === undefined) return undefined;
    const cols = await driver.query(
      `SELECT attname AS name, attnotnull AS nn FROM pg_attribute
        WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [oid],
    );
    const keys = await driver.query(
      `SELECT i.indisprimary AS pk,
              (SELECT json_agg(a.attname ORDER BY k.ord)::text
                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols,
              (SELECT bool_and(a.attnotnull) FROM pg_attribute a
                WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])) AS nn
         FROM pg_index i
        WHERE i.indrelid = $1::oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
          AND 0 <> ALL (i.indkey::int2[])
        ORDER BY i.indisprimary DESC, i.indnatts, i.indexrelid`,
      [oid],
    );
    const columns = cols.rows.map((r) => ({ name: String(r.name), notNull: r.nn === true || r.nn === 't' }));
    const keyRow = keys.rows.find((r) => r.pk === true || r.nn === true);
    return { columns, key: keyRow ? (JSON.parse(String(keyRow.cols)) as string[]) : undefined };
  }
  const exists = await driver.query(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = ?`, [ref.name]);
  if (exists.rows.length === 0) return undefined;
  const info = await driver.query(`SELECT name, "notnull" AS nn, pk FROM pragma_table_info(?) ORDER BY cid`, [ref.name]);
  const columns = info.rows.map((r) => ({ name: String(r.name), notNull: Number(r.nn) === 1 }));
  const pk = info.rows.filter((r) => Number(r.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
  if (pk.length > 0) return { columns, key: pk.map((r) => String(r.name)) };
  const idx = await driver.query(
    `SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND partial = 0 ORDER BY origin = 'pk' DESC, seq`,
    [ref.name],
  );
  for (const r of idx.rows) {
    const ic = await driver.query(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [String(r.name)]);
    const names = ic.rows.map((x) => x.name);
    if (names.some((n) => n === null)) continue; // expression index
    const all = names.map(String);
    if (all.every((n) => columns.find((c) => c.name === n)?.notNull)) return { columns, key: all };
  }
  return { columns };
}

/** SQL rendering one column's value as text (NULL stays NULL). */
function textOf(driver: Driver, col: string): string {
  const q = quoteIdent(col);
  return driver.dialect === 'postgres'
    ? `(${q})::text`
    : `CASE typeof(${q}) WHEN 'blob' THEN 'x''' || hex(${q}) || '''' ELSE CAST(${q} AS TEXT) END`;
}

/** Row count, and per column the non-null count and a checksum of its values (order-independent). */
export async function tableData(driver: Driver, table: string): Promise<TableData> {
  const ref = refOf(table);
  const shape = await shapeOf(driver, ref);
  if (!shape) throw Object.assign(new Error(`table ${tableKey(ref)} does not exist`), { code: driver.dialect === 'postgres' ? '42P01' : 'SQLITE_ERROR' });
  const from = quoteTable(ref);
  const parts = ['count(*) AS n'];
  shape.columns.forEach((c, i) => {
    const q = quoteIdent(c.name);
    parts.push(`count(${q}) AS n${i}`);
    parts.push(
      driver.dialect === 'postgres'
        ? `md5(coalesce(string_agg((${q})::text, E'\\x1f' ORDER BY (${q})::text COLLATE "C"), '')) AS h${i}`
        : `group_concat(quote(${q}), char(31) ORDER BY quote(${q})) AS h${i}`,
    );
  });
  const r = (await driver.query(`SELECT ${parts.join(', ')} FROM ${from}`)).rows[0] ?? {};
  const columns: Record<string, { nonNull: number; checksum: string }> = {};
  shape.columns.forEach((c, i) => {
    const h = r[`h${i}`];
    const checksum =
      driver.dialect === 'postgres' ? String(h) : createHash('md5').update(h === null || h === undefined ? '' : String(h)).digest('hex');
    columns[c.name] = { nonNull: Number(r[`n${i}`]), checksum };
  });
  return { rows: Number(r.n), columns };
}

async function readRows(driver: Driver, ref: TableRef, key: readonly string[], columns: readonly string[]): Promise<(string | null)[][]> {
  const sel = [...key, ...columns].map((c, i) => `${textOf(driver, c)} AS v${i}`);
  if (sel.length === 0) return [];
  const res = await driver.query(`SELECT ${sel.join(', ')} FROM ${quoteTable(ref)} LIMIT ${CAPTURE_LIMIT}`);
  const n = sel.length;
  return res.rows.map((r) => {
    const out: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = r[`v${i}`];
      out[i] = v === null || v === undefined ? null : String(v);
    }
    return out;
  });
}

/** Capture the current values of a table's rows (all columns, or the given ones). */
export async function captureValues(driver: Driver, table: string, columns?: readonly string[]): Promise<unknown> {
  const ref = refOf(table);
  const shape = await shapeOf(driver, ref);
  if (!shape) throw Object.assign(new Error(`table ${tableKey(ref)} does not exist`), { code: driver.dialect === 'postgres' ? '42P01' : 'SQLITE_ERROR' });
  const present = new Set(shape.columns.map((c) => c.name));
  const cols = (columns ?? shape.columns.map((c) => c.name)).filter((c) => present.has(c));
  const key = shape.key ?? [];
  const capture: Capture = {
    kind: 'migralint-value-capture',
    table: tableKey(ref),
    ref,
    columns: cols,
    key: shape.key,
    rows: await readRows(driver, ref, key, cols),
  };
  return capture;
}

function isCapture(c: unknown): c is Capture {
  return typeof c === 'object' && c !== null && (c as Capture).kind === 'migralint-value-capture';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?(?:(Z)|([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?$/;

/** A form of a rendered value in which renderings of the same value are equal. */
export function canonicalValue(v: string | null): string | null {
  if (v === null) return null;
  if (NUMBER.test(v) && !/[eE]/.test(v)) {
    let s = v.replace(/^\+/, '');
    const neg = s.startsWith('-');
    if (neg) s = s.slice(1);
    let [int = '', frac = ''] = s.split('.');
    int = int.replace(/^0+(?=\d)/, '') || '0';
    frac = frac.replace(/0+$/, '');
    const body = frac ? `${int}.${frac}` : int;
    return neg && body !== '0' ? `-${body}` : body;
  }
  if (NUMBER.test(v)) {
    const n = Number(v);
    if (Number.isFinite(n)) return String(n);
  }
  const m = TIMESTAMP.exec(v);
  if (m) {
    const [, y, mo, d, h, mi, s, frac = '', z, sign, oh = '0', om = '0', os = '0'] = m;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (!z && sign) {
      const off = (Number(oh) * 3600 + Number(om) * 60 + Number(os)) * 1000;
      ms += sign === '+' ? -off : off;
    }
    const f = frac.replace(/0+$/, '');
    if (Number.isFinite(ms)) return `@${ms}${f === '.' ? '' : f}`;
  }
  return v;
}

/** Values of `xs` left over once each value of `ys` has cancelled one equal value of `xs`. */
function unmatched(xs: readonly (string | null)[], ys: readonly (string | null)[]): (string | null)[] {
  const pool = new Map<string, number>();
  for (const y of ys) {
    const k = JSON.stringify(canonicalValue(y));
    pool.set(k, (pool.get(k) ?? 0) + 1);
  }
  return xs.filter((x) => {
    const k = JSON.stringify(canonicalValue(x));
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      pool.set(k, n - 1);
      return false;
    }
    return true;
  });
}

/** Compare a capture with the table now: changed values per surviving column, dropped columns. */
export async function compareCapture(driver: Driver, capture: unknown): Promise<ValueComparison> {
  if (!isCapture(capture)) throw new TypeError('compareValues needs the value captureValues returned');
  const ref = capture.ref;
  const shape = await shapeOf(driver, ref);
  if (!shape) {
    return { table: capture.table, changes: [], droppedColumns: [...capture.columns], tableMissing: true, rowsMissing: capture.rows.length, matchedBy: capture.key ? { key: capture.key } : 'multiset' };
  }
  const present = new Set(shape.columns.map((c) => c.name));
  const droppedColumns = capture.columns.filter((c) => !present.has(c));
  const surviving = capture.columns.map((c, i) => ({ c, i })).filter((x) => present.has(x.c));
  const keyLen = capture.key?.length ?? 0;
  const keyed = capture.key !== undefined && capture.key.every((k) => present.has(k));
  const now = await readRows(driver, ref, keyed ? capture.key! : [], surviving.map((x) => x.c));
  const counts = surviving.map(() => ({ changed: 0, example: undefined as { before: string; after: string } | undefined }));
  const note = (j: number, before: string | null, after: string | null): void => {
    const slot = counts[j]!;
    slot.changed++;
    slot.example ??= { before: before ?? 'NULL', after: after ?? 'NULL' };
  };
  let rowsMissing = 0;
  if (keyed) {
    const keyText = (row: (string | null)[], n: number): string => JSON.stringify(row.slice(0, n).map(canonicalValue));
    const after = new Map<string, (string | null)[]>();
    for (const row of now) after.set(keyText(row, keyLen), row);
    for (const row of capture.rows) {
      const other = after.get(keyText(row, keyLen));
      if (!other) {
        rowsMissing++;
        continue;
      }
      surviving.forEach((x, j) => {
        const b = row[keyLen + x.i]!;
        const a = other[keyLen + j]!;
        if (canonicalValue(b) !== canonicalValue(a)) note(j, b, a);
      });
    }
  } else {
    // Multisets per column, sorted by canonical form; values present before and not after changed.
    rowsMissing = Math.max(0, capture.rows.length - now.length);
    surviving.forEach((x, j) => {
      const before = capture.rows.map((r) => r[keyLen + x.i]!);
      const after = now.map((r) => r[j]!);
      const unmatchedBefore = unmatched(before, after);
      const unmatchedAfter = unmatched(after, before);
      const changed = Math.max(0, unmatchedBefore.length - rowsMissing);
      if (changed > 0) {
        counts[j]!.changed = changed;
        counts[j]!.example = { before: unmatchedBefore[0] ?? 'NULL', after: unmatchedAfter[0] ?? 'NULL' };
      }
    });
  }
  const changes: ValueChange[] = [];
  surviving.forEach((x, j) => {
    const c = counts[j]!;
    if (c.changed > 0) changes.push(c.example ? { column: x.c, changed: c.changed, example: c.example } : { column: x.c, changed: c.changed });
  });
  return { table: capture.table, changes, droppedColumns, tableMissing: false, rowsMissing, matchedBy: keyed ? { key: capture.key! } : 'multiset' };
}

/** Changed values per surviving column (only columns with changes; [] when nothing changed). */
export async function compareValues(driver: Driver, capture: unknown): Promise<ValueChange[]> {
  return (await compareCapture(driver, capture)).changes;
}
