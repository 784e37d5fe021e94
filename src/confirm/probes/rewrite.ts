/**
 * The user relations of the database with their storage file (`pg_class.relfilenode`): read before
 * and after a statement, a table whose relfilenode changed was rewritten (ALTER COLUMN TYPE, a
 * volatile DEFAULT, VACUUM FULL, CLUSTER).
 */
import type { Connection } from '../driver.js';

export interface Relation {
  readonly oid: string;
  /** As `regclass` prints it: unqualified on the search path, else `schema.name`. */
  readonly name: string;
  readonly kind: string;
  readonly filenode: string;
}

export async function userRelations(conn: Connection): Promise<Map<string, Relation>> {
  const r = await conn.query(
    `SELECT c.oid::int8::text AS oid, c.oid::regclass::text AS name, c.relkind::text AS kind, c.relfilenode::int8::text AS filenode
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`,
  );
  const out = new Map<string, Relation>();
  for (const row of r.rows) out.set(String(row.oid), { oid: String(row.oid), name: String(row.name), kind: String(row.kind), filenode: String(row.filenode) });
  return out;
}

/** Tables (and materialized views) whose storage was replaced between the two readings. */
export function rewritten(before: ReadonlyMap<string, Relation>, after: ReadonlyMap<string, Relation>): string[] {
  const out: string[] = [];
  for (const [oid, b] of before) {
    if (b.kind !== 'r' && b.kind !== 'm' && b.kind !== 'p') continue;
    const a = after.get(oid);
    if (a && a.filenode !== b.filenode && a.filenode !== '0') out.push(a.name);
  }
  return out.sort();
}
