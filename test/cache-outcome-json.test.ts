/**
 * A parse outcome kept in the cache (src/cache/outcome-json.ts) is, decoded, the outcome the
 * parse gave: the same fields and values (what JSON alone would drop or change included), the
 * same objects shared, the source file, and each AST when read. (Every rule test also lints
 * through this path: test/helpers/lint-sql.ts.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation, SourceFile, Statement } from '../src/model.js';
import { decodeOutcome, encodeOutcome } from '../src/cache/outcome-json.js';
import { loadParser } from '../src/sql/parser.js';
import { parsePostgresSection } from '../src/sql/postgres.js';
import type { ParseOutcome } from '../src/sql/parser.js';

beforeAll(async () => {
  await loadParser('postgres');
});

const file = (text: string, name = 'migrations/001_a.sql'): SourceFile => ({ path: `/p/${name}`, relPath: name, text });

/** Parsed, encoded and decoded. */
function roundTrip(f: SourceFile, start = 0, end = f.text.length): ParseOutcome {
  const encoded = encodeOutcome(parsePostgresSection({ file: f, start, end }), f);
  expect(encoded).toBeDefined();
  const decoded = decodeOutcome(encoded!, f);
  expect(decoded).toBeDefined();
  return decoded!;
}

function sqlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('a section kept in the cache', () => {
  it('equals the main thread\'s parse for every SQL fixture, shared spans and ASTs included', () => {
    const paths = sqlFilesUnder(path.resolve('fixtures'));
    expect(paths.length).toBeGreaterThan(40);
    for (const p of paths) {
      const f = file(readFileSync(p, 'utf8'), path.relative('.', p));
      const here = parsePostgresSection({ file: f, start: 0, end: f.text.length });
      const sent = roundTrip(f);
      expect(sent, p).toEqual(here);
      sent.statements.forEach((s, i) => {
        const h = here.statements[i]!;
        // A span the statement's operations share with it stays one object.
        expect(s.ops.map((op) => op.span === s.span), p).toEqual(h.ops.map((op) => op.span === h.span));
        expect(s.span.file).toBe(f);
        for (const op of s.ops) expect(op.span.file).toBe(f);
      });
      for (const e of sent.errors) expect(e.span.file).toBe(f);
    }
  });

  it('keeps syntax errors, multibyte text and a section that starts inside the file', () => {
    const text = "-- ünïcödé 😀\nSELECT 1;\nALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT;\nCOMMENT ON TABLE t IS '日本語 😀';\nDROP TABLE t;";
    const f = file(text);
    const start = text.indexOf('SELECT');
    const here = parsePostgresSection({ file: f, start, end: text.length });
    expect(here.errors).toHaveLength(1);
    expect(roundTrip(f, start)).toEqual(here);
  });

  it('parses a statement\'s AST only when it is read, and then keeps it', () => {
    const f = file('CREATE TABLE t (id bigint);\nUPDATE t SET id = 2;');
    const [create, update] = roundTrip(f).statements as [Statement, Statement];
    const descriptor = Object.getOwnPropertyDescriptor(update, 'ast')!;
    expect(descriptor.get).toBeTypeOf('function');
    expect(Object.keys(update.ast as object)).toEqual(['UpdateStmt']);
    expect(update.ast).toBe(update.ast);
    expect(Object.getOwnPropertyDescriptor(update, 'ast')!.get).toBeUndefined();
    expect(create.ast).toEqual(parsePostgresSection({ file: f, start: 0, end: f.text.length }).statements[0]!.ast);
  });
});

describe('values JSON alone would not carry', () => {
  /** An outcome with one statement of one operation holding `extra`. */
  const outcome = (f: SourceFile, extra: Record<string, unknown>): ParseOutcome => {
    const span = { file: f, start: 0, end: 1 };
    const op = { kind: 'other', span, statement: 'X', ...extra } as unknown as Operation;
    return { statements: [{ span, type: 'X', ops: [op, op] }], errors: [] };
  };

  it('are sent as they are: undefined, NaN, infinities, -0, strings that start with NUL, shared objects', () => {
    const real = file('x');
    const shared = { a: 1 };
    const extra = { u: undefined, nan: NaN, inf: Infinity, minf: -Infinity, negZero: -0, nul: '\0u', nul2: '\0', list: [undefined, 1, shared, shared], shared };
    const given = outcome(real, extra);
    const before = JSON.stringify(given);
    const back = decodeOutcome(encodeOutcome(given, real)!, real)!;
    // The outcome encoded is left as it was (the walk goes on with it).
    expect(JSON.stringify(given)).toBe(before);
    const [op, again] = back.statements[0]!.ops as unknown as [Record<string, unknown>, unknown];
    expect(again).toBe(op);
    expect(op.span).toBe(back.statements[0]!.span);
    expect(Object.keys(op)).toEqual(['kind', 'span', 'statement', ...Object.keys(extra)]);
    expect('u' in op && op.u === undefined).toBe(true);
    expect(op.nan).toBeNaN();
    expect(op.inf).toBe(Infinity);
    expect(op.minf).toBe(-Infinity);
    expect(Object.is(op.negZero, -0)).toBe(true);
    expect(op.nul).toBe('\0u');
    expect(op.nul2).toBe('\0');
    const list = op.list as unknown[];
    expect(list).toHaveLength(4);
    expect(list[0]).toBeUndefined();
    expect(list[3]).toBe(list[2]);
    expect(op.shared).toBe(list[2]);
    expect((op.span as { file: SourceFile }).file).toBe(real);
  });

  it('or not at all: an outcome with a class instance or a function is not kept', () => {
    const f = file('x');
    expect(encodeOutcome(outcome(f, { c: new (class Stamp {})() }), f)).toBeUndefined();
    expect(encodeOutcome(outcome(f, { d: new Date(0) }), f)).toBeUndefined();
    expect(encodeOutcome(outcome(f, { f: () => 1 }), f)).toBeUndefined();
    expect(encodeOutcome(outcome(f, { b: 1n }), f)).toBeUndefined();
  });
});
