/**
 * A Postgres section's parse outcome (its lowered statements and syntax errors) as JSON text, and
 * back, for the parse cache (./parse-cache.ts). Decoded, it equals field for field the outcome
 * that was encoded: what plain JSON would lose is written with markers, strings that start with
 * a NUL character (which SQL text cannot hold; a string of the outcome that does start with one
 * is escaped):
 *
 * - `\0u`: `undefined` (a property that is there with no value, as lowering writes some);
 * - `\0n` + text: a number JSON cannot write (NaN, ±Infinity, -0);
 * - `\0r` + id: an object written before (ops of one statement share its span): the same object
 *   again, not a copy; ids count objects in the order JSON.stringify meets them;
 * - `\0f`: the section's source file;
 * - `\0s` + text: a string that began with NUL itself.
 *
 * A statement's AST (libpg-query's tree) is kept beside it as JSON text of its own, parsed only
 * when a rule reads `Statement.ast`. An outcome holding what JSON cannot carry (a Map, a class
 * instance, a function) is not encoded.
 */
import type { SourceFile, Statement } from '../model.js';
import type { ParseOutcome } from '../sql/parser.js';

export interface EncodedOutcome {
  /** `{ statements, errors }`, the statements without their ASTs. */
  readonly json: string;
  /** Each statement's AST as JSON text (null: it has none); null: the ASTs were not kept. */
  readonly asts: (string | null)[] | null;
}

/** A value JSON cannot carry. */
class NotCarried extends Error {}

/**
 * The outcome of a section of `file` (left as it is), with the statements' ASTs if `withAsts`;
 * undefined when JSON cannot carry it.
 */
export function encodeOutcome(outcome: ParseOutcome, file: SourceFile, withAsts = true): EncodedOutcome | undefined {
  const asts: (string | null)[] = [];
  const statements = outcome.statements.map((s) => {
    if (withAsts) asts.push(s.ast === undefined ? null : JSON.stringify(s.ast));
    const { ast: _ast, ...rest } = s;
    return rest;
  });
  const ids = new Map<object, number>();
  const replacer = function (this: Record<string, unknown>, key: string, value: unknown): unknown {
    // A toJSON method (a Date's) gave another value: not one the outcome can hold.
    if (this[key] !== value && !(typeof value === 'number' && Number.isNaN(value))) throw new NotCarried();
    switch (typeof value) {
      case 'string':
        return value.charCodeAt(0) === 0 ? `\0s${value}` : value;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0) ? value : `\0n${Object.is(value, -0) ? '-0' : String(value)}`;
      case 'undefined':
        return '\0u';
      case 'boolean':
        return value;
      case 'object': {
        if (value === null) return null;
        if (value === file) return '\0f';
        const seen = ids.get(value);
        if (seen !== undefined) return `\0r${seen}`;
        if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) throw new NotCarried();
        ids.set(value, ids.size);
        return value;
      }
      default:
        throw new NotCarried();
    }
  };
  try {
    return { json: JSON.stringify({ statements, errors: outcome.errors }, replacer), asts: withAsts ? asts : null };
  } catch (err) {
    if (err instanceof NotCarried) return undefined;
    throw err;
  }
}

/** What the file could not have produced. */
class Malformed extends Error {}

/**
 * The outcome `encoded` holds, for a section of `file` (its statements without an AST where the
 * ASTs were not kept); undefined when it is not one this module wrote (a damaged cache): every
 * span must lie in the file.
 */
export function decodeOutcome(encoded: EncodedOutcome, file: SourceFile): ParseOutcome | undefined {
  try {
    const root: unknown = JSON.parse(encoded.json);
    const objects: object[] = [];
    const restore = (s: string): unknown => {
      const rest = s.slice(2);
      switch (s[1]) {
        case 'u':
          return undefined;
        case 'n':
          return rest === '-0' ? -0 : Number(rest);
        case 'r': {
          const o = objects[Number(rest)];
          if (o === undefined) throw new Malformed();
          return o;
        }
        case 'f':
          return file;
        case 's':
          return rest;
        default:
          throw new Malformed();
      }
    };
    const visit = (o: object): void => {
      objects.push(o);
      if (Array.isArray(o)) {
        for (let i = 0; i < o.length; i++) {
          const v: unknown = o[i];
          if (typeof v === 'object' && v !== null) visit(v);
          else if (typeof v === 'string' && v.charCodeAt(0) === 0) o[i] = restore(v);
        }
        return;
      }
      const r = o as Record<string, unknown>;
      for (const k in r) {
        const v = r[k];
        if (typeof v === 'object' && v !== null) visit(v);
        else if (typeof v === 'string' && v.charCodeAt(0) === 0) r[k] = restore(v);
      }
      if (r.file === file && !inFile(r.start, r.end, file)) throw new Malformed();
    };
    if (typeof root !== 'object' || root === null) return undefined;
    visit(root);
    const { statements, errors } = root as { statements: Statement[]; errors: ParseOutcome['errors'] };
    const asts = encoded.asts;
    if (!Array.isArray(statements) || !Array.isArray(errors) || (asts !== null && asts.length !== statements.length)) return undefined;
    if (asts !== null) {
      statements.forEach((s, i) => {
        const json = asts[i];
        if (typeof json === 'string') lazyAst(s, json);
      });
    }
    return { statements, errors };
  } catch {
    return undefined;
  }
}

function inFile(start: unknown, end: unknown, file: SourceFile): boolean {
  return Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (start as number) <= (end as number) && (end as number) <= file.text.length;
}

/** `s.ast`, parsed from `json` when first read. */
function lazyAst(s: Statement, json: string): void {
  Object.defineProperty(s, 'ast', {
    enumerable: true,
    configurable: true,
    get(this: Statement) {
      let ast: unknown;
      try {
        ast = JSON.parse(json);
      } catch {
        ast = undefined; // a damaged cache entry: as if the parser gave no tree
      }
      Object.defineProperty(this, 'ast', { value: ast, enumerable: true, writable: false });
      return ast;
    },
  });
}
