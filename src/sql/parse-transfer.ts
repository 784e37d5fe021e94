/**
 * What crosses the thread boundary between the parse worker and the main thread: a section's
 * ParseOutcome with its file references swapped for markers (the file's text is not copied
 * back with every span) and each statement's AST as JSON text, parsed again only if a rule reads
 * `statement.ast` (most never do, and a JSON.parse of one node is cheaper than cloning them all).
 */
import type { SourceFile, Statement } from '../model.js';
import type { ParseOutcome } from './parser.js';

const FILE_MARK = '__migralintFile';

interface FileMark {
  readonly [FILE_MARK]: number;
}

export interface EncodedOutcome {
  /** The outcome, file references replaced by markers, statements without `ast`. */
  readonly outcome: ParseOutcome;
  /** JSON of each statement's `ast`, in order (undefined: the statement had none). */
  readonly asts: (string | undefined)[];
}

type Walkable = Record<string, unknown> | unknown[];

/** Replace every reference to one of `files` under `value` by its marker (in place). */
function swapFiles(value: Walkable, swap: (v: object) => object | undefined, seen: Set<object>): void {
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === null || typeof v !== 'object') continue;
      const r = swap(v);
      if (r !== undefined) value[i] = r;
      else swapFiles(v as Walkable, swap, seen);
    }
    return;
  }
  for (const key in value) {
    const v = value[key];
    if (v === null || typeof v !== 'object') continue;
    const r = swap(v);
    if (r !== undefined) value[key] = r;
    else swapFiles(v as Walkable, swap, seen);
  }
}

/** In the worker: a function that makes an outcome over `files` ready for postMessage. */
export function outcomeEncoder(files: readonly SourceFile[]): (outcome: ParseOutcome) => EncodedOutcome {
  const marks = new Map<object, FileMark>(files.map((f, i) => [f, { [FILE_MARK]: i }]));
  return (outcome) => {
    const asts = outcome.statements.map((s) => {
      const json = s.ast === undefined ? undefined : JSON.stringify(s.ast);
      delete (s as { ast?: unknown }).ast;
      return json;
    });
    swapFiles(outcome as unknown as Walkable, (v) => marks.get(v), new Set());
    return { outcome, asts };
  };
}

/** On the main thread: a function that puts the real files back (and lazy ASTs) into an outcome. */
export function outcomeDecoder(files: readonly SourceFile[]): (encoded: EncodedOutcome) => ParseOutcome {
  const real = new Set<object>(files);
  const swap = (v: object): object | undefined => {
    if (real.has(v)) return v;
    const i = (v as Partial<FileMark>)[FILE_MARK];
    return typeof i === 'number' ? files[i] : undefined;
  };
  return ({ outcome, asts }) => {
    swapFiles(outcome as unknown as Walkable, swap, new Set());
    outcome.statements.forEach((s, i) => {
      const json = asts[i];
      if (json !== undefined) lazyAst(s, json);
    });
    return outcome;
  };
}

/** `statement.ast`, parsed from its JSON on first read (then a plain property). */
function lazyAst(s: Statement, json: string): void {
  Object.defineProperty(s, 'ast', {
    configurable: true,
    enumerable: true,
    get(this: Statement) {
      const value: unknown = JSON.parse(json);
      Object.defineProperty(this, 'ast', { value, configurable: true, enumerable: true, writable: true });
      return value;
    },
  });
}
