/** Duration estimates from config tableRows: a linear extrapolation, labelled as an estimate. */
import { describe, expect, it } from 'vitest';
import type { StepRun } from '../../src/confirm/execute.js';
import { estimateFor } from '../../src/confirm/statuses.js';

const run = (durationMs: number, tables: { name: string; rows: number }[]): StepRun => ({ durationMs, tables, outcome: 'ok' }) as unknown as StepRun;

describe('estimateFor', () => {
  it('extrapolates linearly from the seeded rows to the configured count, by bare or qualified name', () => {
    expect(estimateFor(run(12, [{ name: 'users', rows: 1000 }]), { users: 20_000_000 })).toEqual({
      table: 'users',
      rows: 20_000_000,
      durationMs: 240_000,
      basis: 'linear extrapolation from 1,000 seeded rows (an estimate, not a measurement)',
    });
    expect(estimateFor(run(5, [{ name: 'users', rows: 500 }]), { 'public.users': 1000 })?.durationMs).toBe(10);
  });

  it('gives none without a configured count, without rows or without a measured duration', () => {
    expect(estimateFor(run(12, [{ name: 'users', rows: 1000 }]), { orders: 5 })).toBeUndefined();
    expect(estimateFor(run(12, [{ name: 'users', rows: 0 }]), { users: 5 })).toBeUndefined();
    expect(estimateFor({ tables: [{ name: 'users', rows: 10 }] } as unknown as StepRun, { users: 5 })).toBeUndefined();
  });
});
