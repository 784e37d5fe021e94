/**
 * Relation locks a statement took: its own backend's `pg_locks`, read inside the statement's
 * transaction before and after it, keeping user relations (tables, indexes, sequences, views;
 * PGlite and Postgres also list catalog locks, which are left out). Each mode is given what it
 * blocks, from Postgres's lock conflict table.
 */
import type { Connection } from '../driver.js';

export type Blocked = 'reads' | 'writes' | 'DDL';

export interface LockTaken {
  readonly relation: string;
  readonly mode: string;
  readonly blocks: Blocked[];
}

/** What other sessions cannot do while a lock of this mode is held on a relation. */
export function blocksOf(mode: string): Blocked[] {
  switch (mode) {
    case 'AccessExclusiveLock':
      return ['reads', 'writes', 'DDL'];
    case 'ExclusiveLock':
    case 'ShareRowExclusiveLock':
    case 'ShareLock':
      return ['writes', 'DDL'];
    default:
      // AccessShare, RowShare, RowExclusive, ShareUpdateExclusive: only conflicting DDL waits.
      return ['DDL'];
  }
}

const STRENGTH = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

/** Stronger first. */
export function lockStrength(mode: string): number {
  return STRENGTH.indexOf(mode);
}

/** (relation oid, mode) pairs held by this backend, granted. */
export async function heldLocks(conn: Connection): Promise<{ oid: string; mode: string }[]> {
  const r = await conn.query(`SELECT relation::int8::text AS oid, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
  return r.rows.map((row) => ({ oid: String(row.oid), mode: String(row.mode) }));
}

/**
 * Locks held after the statement that were not held before it, on user relations; `names` maps
 * oids to names as seen before the statement (a dropped table is gone from pg_class by now) and
 * after it (a created one).
 */
export function newLocks(before: readonly { oid: string; mode: string }[], after: readonly { oid: string; mode: string }[], names: ReadonlyMap<string, string>): LockTaken[] {
  const had = new Set(before.map((l) => `${l.oid} ${l.mode}`));
  const out: LockTaken[] = [];
  for (const l of after) {
    if (had.has(`${l.oid} ${l.mode}`)) continue;
    const relation = names.get(l.oid);
    if (relation === undefined) continue;
    out.push({ relation, mode: l.mode, blocks: blocksOf(l.mode) });
  }
  return out.sort((a, b) => lockStrength(b.mode) - lockStrength(a.mode) || (a.relation < b.relation ? -1 : 1));
}
