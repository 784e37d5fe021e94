/**
 * `interpretKnexProgram`: the interpreter on any ESTree Program (what the ESLint plugin hands it
 * from espree or typescript-eslint), independent of the parser. A tree with only `range`
 * offsets (typescript-eslint's shape) gives the same statements as oxc-parser's.
 */
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import type { SourceFile, Statement } from '../src/model.js';
import { interpretKnexFile, interpretKnexProgram } from '../src/sources/knex/interpret.js';

const text = `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('legacy');
    t.string('email').notNullable().index();
  });
  await knex('users').whereNull('email').update({ email: '' });
}
export async function down(knex: Knex): Promise<void> {
  throw new Error('irreversible');
}
`;

/** A deep copy with `start`/`end` replaced by `range`, as typescript-eslint writes nodes. */
function rangeOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rangeOnly);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  const n = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(n)) if (k !== 'start' && k !== 'end') out[k] = rangeOnly(v);
  if (typeof n.start === 'number' && typeof n.type === 'string') out.range = [n.start, n.end];
  return out;
}

const shown = (file: SourceFile, stmts: Statement[] | null) => stmts?.flatMap((s) => s.ops.map((op) => [op.kind, file.text.slice(op.span.start, op.span.end)]));

describe('interpretKnexProgram', () => {
  it('reads a range-only ESTree like the oxc tree', () => {
    const file: SourceFile = { path: '/p/migrations/1_x.ts', relPath: 'migrations/1_x.ts', text };
    const viaFile = interpretKnexFile(file, 'postgres', () => []);
    const program = rangeOnly(parseSync('x.ts', text, { lang: 'ts', sourceType: 'module' }).program);
    const viaProgram = interpretKnexProgram(program, text, { dialect: 'postgres', parseRawSql: () => [], file });
    expect(shown(file, viaProgram.up)).toEqual(shown(file, viaFile.up));
    expect(shown(file, viaProgram.up)).toEqual([
      ['drop-column', "t.dropColumn('legacy')"],
      ['add-column', "t.string('email').notNullable().index()"],
      ['create-index', 'index()'],
      ['update', "knex('users').whereNull('email').update({ email: '' })"],
    ]);
    expect(shown(file, viaProgram.down)).toEqual([['other', "throw new Error('irreversible');"]]);
    expect(viaProgram.upSpan).toEqual(viaFile.upSpan);
  });

  it('without a file: spans point into the text given', () => {
    const program = parseSync('x.ts', text, { lang: 'ts', sourceType: 'module' }).program;
    const a = interpretKnexProgram(program, text, { dialect: 'sqlite', parseRawSql: () => [] });
    const op = a.up![0]!.ops[0]!;
    expect([op.span.file.text === text, text.slice(op.span.start, op.span.end)]).toEqual([true, "t.dropColumn('legacy')"]);
  });
});
