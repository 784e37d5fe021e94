/** PLACEHOLDER (branch confirmdata writes the real one): minimal Postgres value probes. */
import type { Driver } from './driver.js';

export interface TableData { readonly rows: number; readonly columns: Record<string, { nonNull: number; checksum: string }> }
export interface ValueChange { readonly column: string; readonly changed: number; readonly example?: { before: string; after: string } }

async function columnsOf(driver: Driver, table: string): Promise<string[]> {
  return (await driver.query(`SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [table])).rows.map((r) => String(r.attname));
}

export async function tableData(driver: Driver, table: string): Promise<TableData> {
  const cols = await columnsOf(driver, table);
  const parts = [`count(*)::int AS "#rows"`, ...cols.flatMap((c, i) => [`count("${c}")::int AS "n${i}"`, `md5(string_agg("${c}"::text, ',' ORDER BY "${c}"::text)) AS "c${i}"`])];
  const r = (await driver.query(`SELECT ${parts.join(', ')} FROM ${table}`)).rows[0] ?? {};
  const columns: Record<string, { nonNull: number; checksum: string }> = {};
  cols.forEach((c, i) => (columns[c] = { nonNull: Number(r[`n${i}`]), checksum: String(r[`c${i}`]) }));
  return { rows: Number(r['#rows']), columns };
}

interface Capture { table: string; key: string[]; columns: string[]; rows: Map<string, Record<string, string | null>> }

async function keyOf(driver: Driver, table: string): Promise<string[]> {
  return (await driver.query(`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary`, [table])).rows.map((r) => String(r.attname));
}

async function read(driver: Driver, table: string, key: string[], columns: string[]): Promise<Map<string, Record<string, string | null>>> {
  const rows = (await driver.query(`SELECT ${[...key, ...columns].map((c) => `"${c}"::text`).join(', ')} FROM ${table}`)).rows;
  const out = new Map<string, Record<string, string | null>>();
  for (const r of rows) {
    const vals = Object.values(r) as (string | null)[];
    const k = JSON.stringify(vals.slice(0, key.length));
    const rec: Record<string, string | null> = {};
    columns.forEach((c, i) => (rec[c] = vals[key.length + i] ?? null));
    out.set(k, rec);
  }
  return out;
}

export async function captureValues(driver: Driver, table: string, columns?: readonly string[]): Promise<unknown> {
  const key = await keyOf(driver, table);
  const cols = columns ? [...columns] : (await columnsOf(driver, table)).filter((c) => !key.includes(c));
  if (key.length === 0) return { table, key, columns: cols, rows: new Map() } satisfies Capture;
  return { table, key, columns: cols, rows: await read(driver, table, key, cols) } satisfies Capture;
}

export async function compareValues(driver: Driver, capture: unknown): Promise<ValueChange[]> {
  const c = capture as Capture;
  if (c.key.length === 0) return [];
  const live = await columnsOf(driver, c.table);
  const cols = c.columns.filter((x) => live.includes(x));
  const now = await read(driver, c.table, c.key, cols);
  const out: ValueChange[] = [];
  for (const col of cols) {
    let changed = 0;
    let example: { before: string; after: string } | undefined;
    for (const [k, before] of c.rows) {
      const after = now.get(k);
      if (!after) continue;
      if (before[col] !== after[col]) {
        changed++;
        example ??= { before: String(before[col]), after: String(after[col]) };
      }
    }
    if (changed > 0) out.push({ column: col, changed, example });
  }
  return out;
}
