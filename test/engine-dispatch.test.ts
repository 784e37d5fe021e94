/**
 * The engine calls a rule's checkOperation only on the operation kinds it declares
 * (`operationKinds`), and on every operation when it declares none; the index of operations by
 * kind that rules share follows `ctx.previous` as it grows.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/lint.js';
import { defineRule, type OperationKind } from '../src/engine/rule.js';
import { indicesOfKind, opsOfKind, opsOfKindKeyed, statementOps, tableKey } from '../src/engine/rule-support.js';
import { SchemaState } from '../src/engine/schema-state.js';
import type { Operation, Statement } from '../src/model.js';
import { buildSet, DEFAULT_CONFIG } from './helpers/lint-sql.js';

const SQL = 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nDROP TABLE t;\nDROP TABLE u;\nSELECT 1;';

/** Lint SQL with one rule that records the kinds it was called on (and, in `previous`, what came before each). */
async function callsOf(operationKinds?: OperationKind[]): Promise<{ kinds: string[]; earlierInserts: number[] }> {
  const kinds: string[] = [];
  const earlierInserts: number[] = [];
  const meta = { id: 'probe', description: 'd', help: 'h', defaultLevel: 'warn', dialects: ['postgres'], recommended: false } as const;
  const record = (op: Operation, previous: readonly Operation[]): void => {
    kinds.push(op.kind);
    earlierInserts.push(opsOfKind(previous, 'insert').length);
  };
  const rule = operationKinds
    ? defineRule({ meta, operationKinds, checkOperation: (op, ctx) => record(op, ctx.previous) })
    : defineRule({ meta, checkOperation: (op, ctx) => record(op, ctx.previous) });
  await lint([buildSet([{ name: '001_a.sql', up: SQL }])], [rule], DEFAULT_CONFIG);
  return { kinds, earlierInserts };
}

describe('dispatch by operation kind', () => {
  it('a rule without operationKinds sees every operation, in order', async () => {
    const { kinds, earlierInserts } = await callsOf();
    expect(kinds).toEqual(['create-table', 'insert', 'drop-table', 'drop-table', 'other']);
    expect(earlierInserts).toEqual([0, 0, 1, 1, 1]);
  });

  it('a rule with operationKinds sees those kinds only', async () => {
    expect((await callsOf(['drop-table'])).kinds).toEqual(['drop-table', 'drop-table']);
    expect((await callsOf(['insert', 'other'])).kinds).toEqual(['insert', 'other']);
    expect((await callsOf([])).kinds).toEqual([]);
  });
});

describe('operations by kind', () => {
  const op = (kind: 'insert' | 'transaction', n: number): Operation => ({ kind, n }) as unknown as Operation;

  it('follows an array that grows, and starts over on one that shrank', () => {
    const previous: Operation[] = [op('insert', 0)];
    expect(indicesOfKind(previous, 'insert')).toEqual([0]);
    expect(indicesOfKind(previous, 'transaction')).toEqual([]);
    previous.push(op('transaction', 1), op('insert', 2));
    expect(indicesOfKind(previous, 'insert')).toEqual([0, 2]);
    expect(opsOfKind(previous, 'transaction')).toEqual([previous[1]]);
    previous.length = 1;
    expect(indicesOfKind(previous, 'insert')).toEqual([0]);
    expect(indicesOfKind(previous, 'transaction')).toEqual([]);
  });

  it("a migration's operations, in statement order", () => {
    const statements = [{ ops: [op('insert', 0), op('transaction', 1)] }, { ops: [] }, { ops: [op('insert', 2)] }] as unknown as Statement[];
    expect(statementOps(statements).map((o) => (o as unknown as { n: number }).n)).toEqual([0, 1, 2]);
    expect(opsOfKind(statementOps(statements), 'insert')).toHaveLength(2);
  });

  it('filed by a key: the operations of the kind with that key, with their indices, as the array grows', () => {
    const insert = (from: string, n: number): Operation => ({ kind: 'insert', fromTable: { name: from }, n }) as unknown as Operation;
    const byFrom = (o: Extract<Operation, { kind: 'insert' }>): string | undefined => o.fromTable?.name;
    const previous: Operation[] = [insert('a', 0), op('transaction', 1), insert('b', 2)];
    expect(opsOfKindKeyed(previous, 'insert', byFrom, 'b').at).toEqual([2]);
    previous.push(insert('a', 3));
    expect(opsOfKindKeyed(previous, 'insert', byFrom, 'a').at).toEqual([0, 3]);
    expect(opsOfKindKeyed(previous, 'insert', byFrom, 'c').ops).toEqual([]);
  });

  it('tableKey is shared by every pair of references the schema state takes for one table', () => {
    const pairs = [
      [{ name: 'Users' }, { name: 'Users', schema: 'public' }],
      [{ name: 'n', schema: 's' }, { name: 's.n' }],
      [{ name: 'USERS' }, { name: 'users' }],
    ];
    for (const fold of [false, true]) {
      const state = new SchemaState(fold);
      for (const [a, b] of pairs) if (state.same(a!, b!)) expect(tableKey(a!)).toBe(tableKey(b!));
    }
  });
});
