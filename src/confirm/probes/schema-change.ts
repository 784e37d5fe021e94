/**
 * Renames and lost NOT NULLs, observed rather than parsed: relations that keep their oid under a
 * new name (from the relation readings around every statement), and, for the statements that
 * rename a column or drop a NOT NULL, the table's columns by attnum before and after.
 */
import type { Operation } from '../../model.js';
import type { Connection } from '../driver.js';
import { regclassName } from '../execute.js';
import type { Relation } from './rewrite.js';

/** `old → new` for every relation whose name changed. */
export function renames(before: ReadonlyMap<string, Relation>, after: ReadonlyMap<string, Relation>): string[] {
  const out: string[] = [];
  for (const [oid, b] of before) {
    const a = after.get(oid);
    if (a && a.name !== b.name && (b.kind === 'r' || b.kind === 'p' || b.kind === 'v' || b.kind === 'm')) out.push(`${b.name} → ${a.name}`);
  }
  return out.sort();
}

/** Existing tables whose columns a statement renames or makes nullable. */
export function columnTables(ops: readonly Operation[], existing: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const op of ops) {
    if (op.kind !== 'rename-column' && op.kind !== 'drop-not-null') continue;
    const t = regclassName(op.table);
    if (existing.has(t)) out.add(t);
  }
  return [...out];
}

type Columns = Map<number, { name: string; notNull: boolean }>;

/** Per table (as regclass prints it), its live columns by attnum. */
export async function columnFacts(conn: Connection, tables: readonly string[]): Promise<Map<string, Columns>> {
  const out = new Map<string, Columns>();
  if (tables.length === 0) return out;
  const r = await conn.query(
    `SELECT t AS tbl, a.attnum::int AS num, a.attname AS name, a.attnotnull AS nn
       FROM unnest($1::text[]) AS t JOIN pg_attribute a ON a.attrelid = to_regclass(t)
      WHERE a.attnum > 0 AND NOT a.attisdropped`,
    [tables],
  );
  for (const t of tables) out.set(t, new Map());
  for (const row of r.rows) out.get(String(row.tbl))?.set(Number(row.num), { name: String(row.name), notNull: row.nn === true || row.nn === 't' });
  return out;
}

/** What changed, keyed by the table's name before the statement. */
export function columnDiff(before: ReadonlyMap<string, Columns>, after: ReadonlyMap<string, Columns>): string[] {
  const out: string[] = [];
  for (const [table, cols] of before) {
    const now = after.get(table);
    if (!now) continue;
    for (const [num, c] of cols) {
      const a = now.get(num);
      if (!a) continue;
      if (a.name !== c.name) out.push(`${table}.${c.name} renamed to ${a.name}`);
      if (c.notNull && !a.notNull) out.push(`${table}.${a.name} now accepts NULL`);
    }
  }
  return out;
}
