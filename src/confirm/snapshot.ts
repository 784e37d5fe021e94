/** PLACEHOLDER (branch confirmdata writes the real one): minimal Postgres schema snapshot. */
import type { Driver } from './driver.js';

export interface SchemaSnapshot { readonly [key: string]: unknown }

const USER = `NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`;

export async function snapshotSchema(driver: Driver): Promise<SchemaSnapshot> {
  const q = async (sql: string): Promise<string[]> => (await driver.query(sql)).rows.map((r) => String(r.k));
  return {
    tables: await q(`SELECT 'table ' || table_schema || '.' || table_name AS k FROM information_schema.tables WHERE table_schema ${USER} ORDER BY 1`),
    columns: await q(`SELECT 'column ' || table_name || '.' || column_name || ': ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS k FROM information_schema.columns WHERE table_schema ${USER} ORDER BY 1`),
    indexes: await q(`SELECT 'index ' || indexname AS k FROM pg_indexes WHERE schemaname ${USER} ORDER BY 1`),
  };
}

export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
  const out: string[] = [];
  for (const key of Object.keys(before)) {
    const b = new Set(before[key] as string[]);
    const a = new Set(after[key] as string[]);
    for (const x of b) if (!a.has(x)) out.push(`${x} is missing`);
    for (const x of a) if (!b.has(x)) out.push(`${x} still exists`);
  }
  return out;
}
