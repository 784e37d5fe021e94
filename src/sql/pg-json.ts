/**
 * libpg-query's parse as JSON text, for the parse worker (./parse-worker.ts): the same
 * WebAssembly call as libpg-query's parseSync, whose result is `JSON.parse` of exactly this text,
 * but the text itself is handed back (the main thread parses it; a string crosses the thread
 * boundary as one copy, where a tree would be cloned object by object).
 *
 * Anything but a clean parse gives undefined, and the main thread parses that SQL itself through
 * parseSync (errors, their messages and positions come from there alone). So does SQL with a lone
 * surrogate, which TextEncoder would encode otherwise than libpg-query's own UTF-8 writer.
 *
 * The same goes for the PL/pgSQL parse of a section's DO blocks (`doBlockTrees`), which lowering
 * a DO block otherwise makes on the main thread, where libpg-query's WebAssembly is still cold.
 */
import { createRequire } from 'node:module';
import { isSpace } from './chars.js';

interface PgQueryWasm {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(queryPtr: number): number;
  _wasm_free_parse_result(resultPtr: number): void;
  _wasm_parse_plpgsql(queryPtr: number): number;
  _wasm_free_string(ptr: number): void;
}

export type JsonParser = (sql: string) => string | undefined;

export interface JsonParsers {
  /** libpg-query's parseSync, as JSON text. */
  readonly sql: JsonParser;
  /** libpg-query's parsePlPgSQLSync, as JSON text. */
  readonly plpgsql: JsonParser;
}

/** String.prototype.isWellFormed (Node 20; not in this TypeScript lib). */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

export async function loadJsonParsers(): Promise<JsonParsers> {
  // libpg-query's Emscripten module, instantiated on its own (its index keeps the instance private).
  const factory = createRequire(import.meta.url)('libpg-query/wasm/libpg-query.js') as () => Promise<PgQueryWasm>;
  const wasm = await factory();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  /** The NUL-terminated UTF-8 text at `ptr` (read after the call, which may have grown the memory). */
  const copyOut = (ptr: number): string | undefined => {
    const heap = wasm.HEAPU8;
    const end = heap.indexOf(0, ptr);
    return end < 0 ? undefined : decoder.decode(heap.subarray(ptr, end));
  };
  /**
   * `sql` copied into the WebAssembly memory as a NUL-terminated string, handed to `call`, its
   * result read by `read` and freed by `free`; undefined for SQL left to libpg-query's own
   * functions (see above) and whatever goes wrong.
   */
  const run = (sql: string, call: (queryPtr: number) => number, read: (resultPtr: number) => string | undefined, free: (resultPtr: number) => void): string | undefined => {
    if (sql === '' || !wellFormed(sql)) return undefined;
    const length = Buffer.byteLength(sql, 'utf8');
    const queryPtr = wasm._malloc(length + 1);
    if (!queryPtr) return undefined;
    let resultPtr = 0;
    try {
      encoder.encodeInto(sql, wasm.HEAPU8.subarray(queryPtr, queryPtr + length));
      wasm.HEAPU8[queryPtr + length] = 0;
      resultPtr = call(queryPtr);
      return resultPtr ? read(resultPtr) : undefined;
    } catch {
      return undefined;
    } finally {
      wasm._free(queryPtr);
      if (resultPtr) free(resultPtr);
    }
  };
  const sql: JsonParser = (text) =>
    run(
      text,
      (q) => wasm._wasm_parse_query_raw(q),
      (r) => {
        // PgQueryParseResult: parse_tree, stderr_buffer, error (pointers); the views are read
        // after the call, which may have grown the memory.
        const words = wasm.HEAPU32;
        const treePtr = words[r >>> 2]!;
        const errorPtr = words[(r + 8) >>> 2]!;
        return errorPtr || !treePtr ? undefined : copyOut(treePtr);
      },
      (r) => wasm._wasm_free_parse_result(r),
    );
  const plpgsql: JsonParser = (text) =>
    run(
      text,
      (q) => wasm._wasm_parse_plpgsql(q),
      (r) => {
        // A tree is a JSON object; anything else is the error message parsePlPgSQLSync throws.
        const out = copyOut(r);
        return out?.startsWith('{') ? out : undefined;
      },
      (r) => wasm._wasm_free_string(r),
    );
  return { sql, plpgsql };
}

/**
 * The PL/pgSQL trees (JSON text) of the DO blocks in `sql`, whose parse tree is `json`, keyed by
 * each DO statement's text as lowering slices it from the file (postgres.ts lowerRawStmt: the
 * statement's bytes, trailing white space left out): lowering reads a tree found here instead of
 * parsing that text. Blocks in another language, and a last statement without `;` (its end is
 * found by the scanner), are left to lowering; so is a body PL/pgSQL rejects.
 */
export function doBlockTrees(sql: string, json: string, plpgsql: JsonParser): [string, string][] | undefined {
  // A key, not text inside a JSON string (a quote there is escaped: `{\"DoStmt\":`).
  if (!json.includes('{"DoStmt":')) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tree = JSON.parse(json) as { stmts?: { stmt?: Record<string, any>; stmt_location?: number; stmt_len?: number }[] };
  let bytes: Buffer | undefined;
  const out: [string, string][] = [];
  for (const raw of tree.stmts ?? []) {
    const args: unknown = raw.stmt?.DoStmt?.args;
    if (!Array.isArray(args) || !raw.stmt_len) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const language: unknown = args.find((a: any) => a?.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval;
    if (typeof language === 'string' && language.toLowerCase() !== 'plpgsql') continue;
    bytes ??= Buffer.from(sql, 'utf8');
    const start = raw.stmt_location ?? 0;
    const text = bytes.toString('utf8', start, start + raw.stmt_len);
    let end = text.length;
    while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
    const stmt = text.slice(0, end);
    const body = plpgsql(stmt);
    if (body !== undefined) out.push([stmt, body]);
  }
  return out.length > 0 ? out : undefined;
}
