/**
 * Applying fixes to a text: the fixes are taken in order of position, and one whose edits touch
 * an edit already taken is left for the next pass (as ESLint does), so no two edits ever overlap.
 */
import type { Fix, TextEdit } from '../model.js';

export interface Applied<T extends { fix: Fix }> {
  readonly text: string;
  /** The items whose fix was applied, in order of position. */
  readonly applied: T[];
  /** Items left out because they touch an applied fix (the next pass reconsiders them). */
  readonly deferred: T[];
}

const firstStart = (fix: Fix): number => Math.min(...fix.edits.map((e) => e.start));

/** Two edits touch: their ranges overlap, or both insert (or one starts where the other does) at one point. */
function touches(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

export function applyFixes<T extends { fix: Fix }>(text: string, items: readonly T[]): Applied<T> {
  const ordered = [...items].sort((a, b) => firstStart(a.fix) - firstStart(b.fix));
  const taken: TextEdit[] = [];
  const applied: T[] = [];
  const deferred: T[] = [];
  for (const item of ordered) {
    if (item.fix.edits.some((e) => taken.some((t) => touches(e, t)))) {
      // The same rewrite reported twice (one statement, two findings) is applied once.
      if (item.fix.edits.every((e) => taken.some((t) => t.start === e.start && t.end === e.end && t.text === e.text))) applied.push(item);
      else deferred.push(item);
      continue;
    }
    taken.push(...item.fix.edits);
    applied.push(item);
  }
  let out = text;
  // From the end backwards, so earlier offsets stay valid; insertions at one point keep their order.
  const back = taken.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  for (const { e } of back) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, deferred };
}
