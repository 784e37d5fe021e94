/**
 * What makes a selected value of an `INSERT ... SELECT` non-null beyond its own expression, the
 * same in every dialect:
 *
 * - counting and ranking functions (`ROW_NUMBER() OVER (...)`, `COUNT(*)`) always return a value;
 * - the SELECT's WHERE demands it: `WHERE m.workspace_id IS NOT NULL` (alone or in an AND chain)
 *   proves the item `m.workspace_id` non-null even when `m` is a joined table, and so does a
 *   comparison in the WHERE or in the ON of a join every row matches (TRUE needs two non-null sides);
 * - a column of a joined table every row matches (INNER JOIN, or a LEFT JOIN the WHERE demands a
 *   match of) is non-null when that table's column is NOT NULL (decided by the rule, which knows
 *   the schema: `ValueInfo.joined`).
 */
import type { TableRef } from '../model.js';

/** Functions that return a value for every row, whatever their arguments. */
export const COUNTING_FUNCTIONS: ReadonlySet<string> = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'count']);

/** A column reference as a comparable key: `"M".workspace_id` and `m.workspace_id` are one key. */
export function refKey(parts: readonly string[]): string {
  return parts.map((p) => p.replace(/^[`"[]|[`"\]]$/g, '').toLowerCase()).join('.');
}

/** A joined table of a copy's FROM: its name and the name it goes by (alias or name), folded for lookup. */
export interface JoinedTable {
  readonly table: TableRef;
  readonly as: string;
  /** INNER JOIN (or plain JOIN); LEFT otherwise. */
  readonly inner: boolean;
}

/**
 * The joined tables every copied row matches: INNER JOINs, and LEFT JOINs whose table the WHERE
 * (or the ON of another matched join) proves non-null somewhere (`WHERE item.id IS NOT NULL`).
 * The ON conditions of matched joins hold on every row, so their comparisons add to `demanded`
 * (which this extends). None when a RIGHT or FULL join may null-extend the rows of the others.
 */
export function matchJoins<T extends JoinedTable>(joins: readonly T[], demanded: Set<string>, rightOrFull: boolean, onRefs: (j: T) => Iterable<string>): T[] {
  if (rightOrFull) return [];
  const matched = new Set<T>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const j of joins) {
      if (matched.has(j) || !(j.inner || [...demanded].some((k) => k.startsWith(`${refKey([j.as])}.`)))) continue;
      matched.add(j);
      for (const k of onRefs(j)) demanded.add(k);
      grew = true;
    }
  }
  return [...matched];
}
