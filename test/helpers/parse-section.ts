/**
 * Run a dialect's section parser on SQL text and summarise what came out: statement texts,
 * operations with the text under their spans, and syntax errors. Shared by the parser tests.
 */
import { expect } from 'vitest';
import type { Operation, SourceFile } from '../../src/model.js';
import type { SectionParser } from '../../src/sql/parser.js';

export function sqlFile(text: string): SourceFile {
  return { path: '/tmp/m.sql', relPath: 'm.sql', text };
}

function opSummary(op: Operation, text: string): Record<string, unknown> {
  const { span, ...rest } = op;
  expect(span.file.text).toBe(text);
  return { ...rest, spanText: text.slice(span.start, span.end) };
}

export function sectionParse(parser: SectionParser) {
  const parse = (text: string, start = 0, end = text.length) => {
    const out = parser({ file: sqlFile(text), start, end });
    return {
      statements: out.statements.map((s) => ({
        type: s.type,
        text: text.slice(s.span.start, s.span.end),
        ops: s.ops.map((o) => opSummary(o, text)),
      })),
      errors: out.errors.map((e) => ({ ruleId: e.ruleId, message: e.message, text: text.slice(e.span.start, e.span.end), start: e.span.start })),
      raw: out,
    };
  };
  /** One statement without errors: its operations. */
  const ops = (sql: string): Record<string, unknown>[] => {
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements).toHaveLength(1);
    return r.statements[0]!.ops;
  };
  return { parse, ops };
}
