/**
 * Values of the engine (lowered statements, the schema state) as JSON text, and back, for the
 * cache (./parse-cache.ts). Decoded, a value equals field for field the one encoded: what plain
 * JSON would lose is written with markers, strings that start with a NUL character (which SQL
 * text cannot hold; a string of the value that does start with one is escaped):
 *
 * - `\0u`: `undefined` (a property that is there with no value, as lowering writes some);
 * - `\0n` + text: a number JSON cannot write (NaN, ±Infinity, -0);
 * - `\0r` + id: an object written before (ops of one statement share its span): the same object
 *   again, not a copy; ids count objects (Maps and Sets included) in the order JSON.stringify
 *   meets them;
 * - `\0f` + index: one of the source files the caller names (`files`), by its place in that list;
 * - `\0s` + text: a string that began with NUL itself;
 * - an array whose first element is `\0M` (`\0S`): a Map of the key/value pairs that follow (a
 *   Set of the values that follow).
 *
 * A value holding what JSON cannot carry otherwise (a class instance, a function, a Date) is not
 * encoded.
 */
import type { SourceFile } from '../model.js';

/** A value JSON cannot carry. */
class NotCarried extends Error {}

const MAP = '\0M';
const SET = '\0S';

/** `value` as JSON text, the `files` written by their place in that list; undefined when JSON cannot carry it. */
export function encodeValue(value: unknown, files: readonly SourceFile[]): string | undefined {
  const ids = new Map<object, number>();
  const fileIndex = new Map<object, number>(files.map((f, i) => [f, i]));
  /** The arrays that stand for a Map or a Set: their first element is the marker itself. */
  const collections = new Set<unknown[]>();
  const replacer = function (this: Record<string, unknown>, key: string, v: unknown): unknown {
    // A toJSON method (a Date's) gave another value: not one the value can hold.
    if (this[key] !== v && !(typeof v === 'number' && Number.isNaN(v))) throw new NotCarried();
    switch (typeof v) {
      case 'string':
        if (key === '0' && collections.has(this as unknown as unknown[])) return v;
        return v.charCodeAt(0) === 0 ? `\0s${v}` : v;
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0) ? v : `\0n${Object.is(v, -0) ? '-0' : String(v)}`;
      case 'undefined':
        return '\0u';
      case 'boolean':
        return v;
      case 'object': {
        if (v === null) return null;
        const f = fileIndex.get(v);
        if (f !== undefined) return `\0f${f}`;
        const seen = ids.get(v);
        if (seen !== undefined) return `\0r${seen}`;
        if (v instanceof Map || v instanceof Set) {
          ids.set(v, ids.size);
          const out: unknown[] = [v instanceof Map ? MAP : SET];
          if (v instanceof Map) for (const [k, x] of v) out.push(k, x);
          else for (const x of v) out.push(x);
          collections.add(out);
          return out;
        }
        if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) throw new NotCarried();
        ids.set(v, ids.size);
        return v;
      }
      default:
        throw new NotCarried();
    }
  };
  try {
    return JSON.stringify(value, replacer);
  } catch (err) {
    if (err instanceof NotCarried) return undefined;
    throw err;
  }
}

/** What this module could not have written (a damaged cache). */
export class Malformed extends Error {}

/**
 * The value `json` holds, with `files` as they were given to encodeValue. `check` sees every
 * plain object once its fields are restored, and refuses one by returning false. Throws
 * Malformed on text this module did not write (and SyntaxError on text that is not JSON).
 */
export function decodeValue(json: string, files: readonly SourceFile[], check?: (o: Record<string, unknown>) => boolean): unknown {
  const root: unknown = JSON.parse(json);
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
      case 'f': {
        const f = files[Number(rest)];
        if (f === undefined || rest === '') throw new Malformed();
        return f;
      }
      case 's':
        return rest;
      default:
        throw new Malformed();
    }
  };
  /** What `v`, as written, stands for (objects are visited in place, children first restored). */
  const value = (v: unknown): unknown => {
    if (typeof v === 'object' && v !== null) return visit(v);
    return typeof v === 'string' && v.charCodeAt(0) === 0 ? restore(v) : v;
  };
  const visit = (o: object): object => {
    if (Array.isArray(o)) {
      const marker: unknown = o[0];
      if (marker === MAP) {
        if (o.length % 2 !== 1) throw new Malformed();
        const map = new Map<unknown, unknown>();
        objects.push(map);
        for (let i = 1; i < o.length; i += 2) {
          const k = value(o[i]);
          map.set(k, value(o[i + 1]));
        }
        return map;
      }
      if (marker === SET) {
        const set = new Set<unknown>();
        objects.push(set);
        for (let i = 1; i < o.length; i++) set.add(value(o[i]));
        return set;
      }
      objects.push(o);
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i];
        if (typeof v === 'object' && v !== null) {
          const x = visit(v);
          if (x !== v) o[i] = x;
        } else if (typeof v === 'string' && v.charCodeAt(0) === 0) o[i] = restore(v);
      }
      return o;
    }
    objects.push(o);
    const r = o as Record<string, unknown>;
    for (const k in r) {
      const v = r[k];
      if (typeof v === 'object' && v !== null) {
        const x = visit(v);
        if (x !== v) r[k] = x;
      } else if (typeof v === 'string' && v.charCodeAt(0) === 0) r[k] = restore(v);
    }
    if (check && !check(r)) throw new Malformed();
    return o;
  };
  return value(root);
}
