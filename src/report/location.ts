/**
 * Offsets to lines and columns. Spans carry UTF-16 offsets into `SourceFile.text`; this is the
 * only place that turns them into 1-based lines and 1-based columns (counted in UTF-16 code
 * units, which is what SARIF's `columnKind: "utf16CodeUnits"` and GitHub expect).
 *
 * `\n`, `\r\n` and a lone `\r` all end a line.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { SourceFile, Span } from '../model.js';

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column in UTF-16 code units. */
  readonly column: number;
}

export interface Region {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Column after the last character of the span (exclusive), as SARIF defines `endColumn`. */
  readonly endColumn: number;
}

export class LineIndex {
  readonly text: string;
  /** Offset of the first character of each line (index 0 is line 1). */
  private readonly starts: number[];
  /** Offset just past the last character of each line, before its line break. */
  private readonly contentEnds: number[];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    const contentEnds: number[] = [];
    // Line breaks found with indexOf (a whole report indexes every file it points into): the next
    // \n, and the next \r, looked for again only once passed (most files have none).
    let nl = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (nl !== -1 || cr !== -1) {
      let next: number;
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        contentEnds.push(cr);
        next = text.charCodeAt(cr + 1) === 0x0a ? cr + 2 : cr + 1;
      } else {
        contentEnds.push(nl);
        next = nl + 1;
      }
      starts.push(next);
      if (nl !== -1 && nl < next) nl = text.indexOf('\n', next);
      if (cr !== -1 && cr < next) cr = text.indexOf('\r', next);
    }
    contentEnds.push(text.length);
    this.starts = starts;
    this.contentEnds = contentEnds;
  }

  /** Number of lines (a file ending with a line break has an empty last line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[this.clampLine(line) - 1]!;
  }

  /** Offset just past the last character of a 1-based line, excluding its line break. */
  lineContentEnd(line: number): number {
    return this.contentEnds[this.clampLine(line) - 1]!;
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const l = this.clampLine(line);
    return this.text.slice(this.starts[l - 1], this.contentEnds[l - 1]);
  }

  /** 1-based line holding an offset (offsets are clamped to the text). */
  lineOf(offset: number): number {
    const o = this.clampOffset(offset);
    // Largest index whose start is <= o.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /**
   * 1-based line and column of an offset. An offset inside a line break (on its `\r` or between
   * `\r` and `\n`) maps to the column just after the line's last character.
   */
  position(offset: number): Position {
    const o = this.clampOffset(offset);
    const line = this.lineOf(o);
    const start = this.starts[line - 1]!;
    const end = this.contentEnds[line - 1]!;
    return { line, column: Math.min(o, end) - start + 1 };
  }

  /**
   * Region of a span. The end is exclusive; a span ending right after a line break ends at the
   * end of the line it breaks rather than at column 1 of the next line. An empty span has
   * `endColumn === column`.
   */
  region(start: number, end: number): Region {
    const s = this.clampOffset(start);
    const e = Math.max(s, this.clampOffset(end));
    const from = this.position(s);
    if (e === s) return { line: from.line, column: from.column, endLine: from.line, endColumn: from.column };
    let to = this.position(e);
    const toStart = this.starts[to.line - 1]!;
    if (e === toStart && to.line > from.line) {
      // The span's last character is a line break: end on the line it terminates.
      const prev = to.line - 1;
      to = { line: prev, column: this.contentEnds[prev - 1]! - this.starts[prev - 1]! + 1 };
    }
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  private clampLine(line: number): number {
    return Math.min(Math.max(1, Math.trunc(line)), this.starts.length);
  }

  private clampOffset(offset: number): number {
    if (!Number.isFinite(offset)) return 0;
    return Math.min(Math.max(0, Math.trunc(offset)), this.text.length);
  }
}

const indexes = new WeakMap<SourceFile, LineIndex>();

/** The line index of a file, built once per SourceFile object. */
export function lineIndex(file: SourceFile): LineIndex {
  let index = indexes.get(file);
  if (index === undefined || index.text !== file.text) {
    index = new LineIndex(file.text);
    indexes.set(file, index);
  }
  return index;
}

/** 1-based line and column of an offset into a file. */
export function offsetToPosition(file: SourceFile, offset: number): Position {
  return lineIndex(file).position(offset);
}

/** 1-based region of a span, `endColumn` exclusive. */
export function spanToRegion(span: Span): Region {
  return lineIndex(span.file).region(span.start, span.end);
}

/**
 * A path as users see it: relative to `cwd` with forward slashes when it lies under `cwd`,
 * otherwise unchanged (with forward slashes).
 */
export function displayPath(cwd: string, path: string): string {
  let p = path;
  if (isAbsolute(p)) {
    const rel = relative(cwd, p);
    if (rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) p = rel;
  }
  return sep === '\\' ? p.replaceAll('\\', '/') : p;
}
