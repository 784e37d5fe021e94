/**
 * SchemaState.clone() is copy-on-write (a down is walked on a clone): neither side may see the
 * other's changes, whichever changes a shared table first.
 */
import { describe, expect, it } from 'vitest';
import { SchemaState } from '../src/engine/schema-state.js';
import type { Operation, SourceFile, Span } from '../src/model.js';

const file: SourceFile = { path: '/x.sql', relPath: 'x.sql', text: '' };
const span: Span = { file, start: 0, end: 0 };
const column = (name: string) => ({ name, type: 'int', notNull: false, hasDefault: false });

function chain(): SchemaState {
  const s = new SchemaState(false);
  s.apply({ kind: 'create-table', span, table: { name: 't' }, columns: [column('a'), column('b')] } as unknown as Operation, '001');
  return s;
}

describe('schema state clone', () => {
  it('a change on the clone (a down) leaves the state it came from as it was', () => {
    const up = chain();
    const down = up.clone();
    down.apply({ kind: 'drop-column', span, table: { name: 't' }, column: 'a' } as unknown as Operation, '001');
    down.apply({ kind: 'set-not-null', span, table: { name: 't' }, column: 'b' } as unknown as Operation, '001');
    expect([...down.table({ name: 't' })!.columns.keys()]).toEqual(['b']);
    expect([...up.table({ name: 't' })!.columns.keys()]).toEqual(['a', 'b']);
    expect(up.column({ name: 't' }, 'b')!.notNull).toBe(false);
  });

  it('a change on the original after cloning is not seen by the clone', () => {
    const up = chain();
    const down = up.clone();
    up.apply({ kind: 'add-column', span, table: { name: 't' }, column: column('c') } as unknown as Operation, '002');
    up.apply({ kind: 'drop-table', span, table: { name: 't' }, ifExists: false, cascade: false } as unknown as Operation, '002');
    expect(up.table({ name: 't' })).toBeUndefined();
    expect([...down.table({ name: 't' })!.columns.keys()]).toEqual(['a', 'b']);
  });
});
