/**
 * What makes a selected value of an `INSERT ... SELECT` non-null beyond its own expression, the
 * same in every dialect:
 *
 * - counting and ranking functions (`ROW_NUMBER() OVER (...)`, `COUNT(*)`) always return a value;
 * - the SELECT's WHERE demands it: `WHERE m.workspace_id IS NOT NULL` (alone or in an AND chain)
 *   proves the item `m.workspace_id` non-null even when `m` is a joined table.
 */

/** Functions that return a value for every row, whatever their arguments. */
export const COUNTING_FUNCTIONS: ReadonlySet<string> = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'count']);

/** A column reference as a comparable key: `"M".workspace_id` and `m.workspace_id` are one key. */
export function refKey(parts: readonly string[]): string {
  return parts.map((p) => p.replace(/^[`"[]|[`"\]]$/g, '').toLowerCase()).join('.');
}
