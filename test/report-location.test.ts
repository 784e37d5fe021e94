import { describe, expect, it } from 'vitest';
import type { SourceFile, Span } from '../src/model.js';
import { LineIndex, displayPath, lineIndex, offsetToPosition, spanToRegion } from '../src/report/location.js';

function file(text: string): SourceFile {
  return { path: '/repo/m.sql', relPath: 'm.sql', text };
}

function span(f: SourceFile, needle: string, extra = 0): Span {
  const start = f.text.indexOf(needle);
  if (start < 0) throw new Error(`${needle} not in text`);
  return { file: f, start, end: start + needle.length + extra };
}

describe('LineIndex', () => {
  it('splits random texts of \\n, \\r\\n, lone \\r and \\n\\r into the lines a split on /\\r\\n|\\r|\\n/ gives', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const pieces = ['a', 'bc', '\n', '\r', '\r\n', '\n\r', ' '];
    for (let t = 0; t < 500; t++) {
      let text = '';
      for (let k = next(12); k > 0; k--) text += pieces[next(pieces.length)];
      const idx = new LineIndex(text);
      const lines = text.split(/\r\n|\r|\n/);
      expect({ text, lines: Array.from({ length: idx.lineCount }, (_, i) => idx.lineText(i + 1)) }).toEqual({ text, lines });
    }
  });

  it('treats \\n, \\r\\n and a lone \\r as one line break each', () => {
    const idx = new LineIndex('a\nbb\r\nccc\rdddd');
    expect(idx.lineCount).toBe(4);
    expect([1, 2, 3, 4].map((l) => idx.lineText(l))).toEqual(['a', 'bb', 'ccc', 'dddd']);
    expect(idx.position(0)).toEqual({ line: 1, column: 1 });
    expect(idx.position(2)).toEqual({ line: 2, column: 1 });
    expect(idx.position(6)).toEqual({ line: 3, column: 1 });
    expect(idx.position(10)).toEqual({ line: 4, column: 1 });
    expect(idx.position(13)).toEqual({ line: 4, column: 4 });
  });

  it('counts a file ending with a line break as having an empty last line', () => {
    expect(new LineIndex('a\n').lineCount).toBe(2);
    expect(new LineIndex('a\r\n').lineCount).toBe(2);
    expect(new LineIndex('').lineCount).toBe(1);
  });

  it('maps an offset inside a CRLF to the end of its line, never past it', () => {
    const idx = new LineIndex('ab\r\ncd');
    expect(idx.position(2)).toEqual({ line: 1, column: 3 }); // on the \r
    expect(idx.position(3)).toEqual({ line: 1, column: 3 }); // between \r and \n
    expect(idx.position(4)).toEqual({ line: 2, column: 1 });
  });

  it('clamps offsets outside the text', () => {
    const idx = new LineIndex('ab\ncd');
    expect(idx.position(-5)).toEqual({ line: 1, column: 1 });
    expect(idx.position(99)).toEqual({ line: 2, column: 3 });
  });

  it('counts columns in UTF-16 code units', () => {
    // '😀' is two code units, 'é' one.
    const f = file('é😀x');
    expect(offsetToPosition(f, f.text.indexOf('x'))).toEqual({ line: 1, column: 4 });
  });

  it('is built once per SourceFile', () => {
    const f = file('select 1;\n');
    expect(lineIndex(f)).toBe(lineIndex(f));
    expect(lineIndex(f)).not.toBe(lineIndex(file('select 1;\n')));
  });
});

describe('spanToRegion', () => {
  it('gives an exclusive end column on a single line', () => {
    const f = file('CREATE TABLE a (id int);\nDROP TABLE users;\n');
    expect(spanToRegion(span(f, 'DROP TABLE users;'))).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 18 });
  });

  it('ends a span that includes the trailing line break on the line it breaks', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const f = file(`x;${eol}DROP TABLE users;${eol}y;`);
      const s = span(f, `DROP TABLE users;${eol}`);
      expect(spanToRegion(s), JSON.stringify(eol)).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 18 });
    }
  });

  it('keeps multi-line spans on their real last line', () => {
    const f = file('ALTER TABLE t\r\n  ADD c int;\r\n');
    expect(spanToRegion(span(f, 'ALTER TABLE t\r\n  ADD c int;'))).toEqual({
      line: 1,
      column: 1,
      endLine: 2,
      endColumn: 13,
    });
  });

  it('gives an empty span the same start and end column', () => {
    const f = file('a\nbc');
    const s = { file: f, start: 3, end: 3 };
    expect(spanToRegion(s)).toEqual({ line: 2, column: 2, endLine: 2, endColumn: 2 });
  });

  it('treats a span made only of a line break as ending where it starts', () => {
    const f = file('ab\ncd');
    expect(spanToRegion({ file: f, start: 2, end: 3 })).toEqual({ line: 1, column: 3, endLine: 1, endColumn: 3 });
  });
});

describe('displayPath', () => {
  it('makes paths under cwd relative with forward slashes and leaves others alone', () => {
    expect(displayPath('/repo', '/repo/db/1.sql')).toBe('db/1.sql');
    expect(displayPath('/repo', 'db/1.sql')).toBe('db/1.sql');
    expect(displayPath('/repo', '/elsewhere/1.sql')).toBe('/elsewhere/1.sql');
    expect(displayPath('/repo', '/repo/..data/1.sql')).toBe('..data/1.sql');
  });
});
