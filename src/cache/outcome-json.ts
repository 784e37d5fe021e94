/**
 * A Postgres section's parse outcome (its lowered statements and syntax errors) as JSON text, and
 * back, for the parse cache (./parse-cache.ts), written with ./value-json.ts: decoded, it equals
 * field for field the outcome that was encoded, the same objects shared (ops of one statement
 * share its span) and the section's source file the same object.
 *
 * A statement's AST (libpg-query's tree) is kept beside it as JSON text of its own, parsed only
 * when a rule reads `Statement.ast`. An outcome holding what JSON cannot carry (a class instance,
 * a function) is not encoded.
 */
import type { SourceFile, Statement } from '../model.js';
import type { ParseOutcome } from '../sql/parser.js';
import { decodeValue, encodeValue } from './value-json.js';

export interface EncodedOutcome {
  /** `{ statements, errors }`, the statements without their ASTs. */
  readonly json: string;
  /** Each statement's AST as JSON text (null: it has none); null: the ASTs were not kept. */
  readonly asts: (string | null)[] | null;
}

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
  const json = encodeValue({ statements, errors: outcome.errors }, [file]);
  return json === undefined ? undefined : { json, asts: withAsts ? asts : null };
}

/**
 * The outcome `encoded` holds, for a section of `file` (its statements without an AST where the
 * ASTs were not kept); undefined when it is not one this module wrote (a damaged cache): every
 * span must lie in the file.
 */
export function decodeOutcome(encoded: EncodedOutcome, file: SourceFile): ParseOutcome | undefined {
  try {
    const root = decodeValue(encoded.json, [file], (r) => r.file !== file || inFile(r.start, r.end, file));
    if (typeof root !== 'object' || root === null) return undefined;
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
