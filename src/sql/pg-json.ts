/**
 * libpg-query's parse as JSON text, for the parse worker (./parse-worker.ts): the same
 * WebAssembly call as libpg-query's parseSync, whose result is `JSON.parse` of exactly this text,
 * but the text itself is handed back (the main thread parses it; a string crosses the thread
 * boundary as one copy, where a tree would be cloned object by object).
 *
 * Anything but a clean parse gives undefined, and the main thread parses that SQL itself through
 * parseSync (errors, their messages and positions come from there alone). So does SQL with a lone
 * surrogate, which TextEncoder would encode otherwise than libpg-query's own UTF-8 writer.
 */
import { createRequire } from 'node:module';

interface PgQueryWasm {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(queryPtr: number): number;
  _wasm_free_parse_result(resultPtr: number): void;
}

export type JsonParser = (sql: string) => string | undefined;

/** String.prototype.isWellFormed (Node 20; not in this TypeScript lib). */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

export async function loadJsonParser(): Promise<JsonParser> {
  // libpg-query's Emscripten module, instantiated on its own (its index keeps the instance private).
  const factory = createRequire(import.meta.url)('libpg-query/wasm/libpg-query.js') as () => Promise<PgQueryWasm>;
  const wasm = await factory();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return (sql) => {
    if (sql === '' || !wellFormed(sql)) return undefined;
    const length = Buffer.byteLength(sql, 'utf8');
    const queryPtr = wasm._malloc(length + 1);
    if (!queryPtr) return undefined;
    let resultPtr = 0;
    try {
      encoder.encodeInto(sql, wasm.HEAPU8.subarray(queryPtr, queryPtr + length));
      wasm.HEAPU8[queryPtr + length] = 0;
      resultPtr = wasm._wasm_parse_query_raw(queryPtr);
      if (!resultPtr) return undefined;
      // PgQueryParseResult: parse_tree, stderr_buffer, error (pointers); the views are read after
      // the call, which may have grown the memory.
      const words = wasm.HEAPU32;
      const treePtr = words[resultPtr >>> 2]!;
      const errorPtr = words[(resultPtr + 8) >>> 2]!;
      if (errorPtr || !treePtr) return undefined;
      const heap = wasm.HEAPU8;
      const end = heap.indexOf(0, treePtr);
      return end < 0 ? undefined : decoder.decode(heap.subarray(treePtr, end));
    } catch {
      return undefined;
    } finally {
      wasm._free(queryPtr);
      if (resultPtr) wasm._wasm_free_parse_result(resultPtr);
    }
  };
}
