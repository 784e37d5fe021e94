/**
 * Real blocking, observed from a second connection (server driver only): while the statement's
 * transaction still holds its locks, the second connection tries a SELECT and an INSERT on each
 * relation it locked, each with a short lock_timeout. Neither changes anything: the INSERT copies
 * no rows (`SELECT * ... WHERE false`) and both run in a transaction that is rolled back.
 */
import type { Connection } from '../driver.js';

export interface BlockedProbe {
  readonly relation: string;
  readonly query: 'SELECT' | 'INSERT';
  readonly blocked: boolean;
}

/**
 * How long the probe waits for a lock before it counts as blocked. A lock that does not conflict
 * is granted without any wait, so the bound only needs to exceed zero: a short one keeps the
 * probes of a long chain from adding seconds (two blocked probes per table and statement).
 */
export const PROBE_LOCK_TIMEOUT_MS = 5;

/** SQLSTATEs meaning the probe waited for a lock: lock_not_available, query_canceled. */
const WAITED = new Set(['55P03', '57014']);

export async function probeBlocking(second: Connection, relations: readonly string[]): Promise<BlockedProbe[]> {
  const out: BlockedProbe[] = [];
  for (const relation of relations) {
    for (const query of ['SELECT', 'INSERT'] as const) {
      const sql = query === 'SELECT' ? `SELECT 1 FROM ${relation} LIMIT 0` : `INSERT INTO ${relation} SELECT * FROM ${relation} WHERE false`;
      let blocked = false;
      // One round trip when it goes through; a failure stops the string, and the ROLLBACK follows.
      try {
        await second.exec(`BEGIN; SET LOCAL lock_timeout = '${PROBE_LOCK_TIMEOUT_MS}ms'; SET LOCAL statement_timeout = '5s'; ${sql}; ROLLBACK`);
      } catch (err) {
        // Any other error (a generated column refusing the copy) came after the lock was granted.
        blocked = WAITED.has(String((err as { code?: unknown }).code));
        await second.exec('ROLLBACK').catch(() => undefined);
      }
      out.push({ relation, query, blocked });
    }
  }
  return out;
}
