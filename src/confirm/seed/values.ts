/**
 * Column values for seeding: a small seeded PRNG and one generator per value kind, each giving
 * typical values, values shared by many rows (duplicates), values at the edge of the type, and
 * injective "unique" values for keys. Values are SQL text (literals), per dialect.
 */
import type { ColType } from './model.js';
import { quoteLiteral } from '../table-name.js';

/** mulberry32: tiny, fast, good enough for test data, and the same everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: a stream per (seed, table, column) keeps columns independent. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = `${p}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

/** Bounds a CHECK (or the type) puts on a value; strings for numbers keep bigint/numeric exact. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Allowed values (IN lists, = constant): the generator picks among them. */
  readonly oneOf?: readonly string[];
  readonly notOneOf?: readonly string[];
  /** A LIKE pattern text values must match. */
  readonly like?: string;
}

export type Dialect = 'postgres' | 'sqlite';

/** A raw value before rendering: text goes through quoting, sql is already a literal. */
export type Raw = { readonly text: string } | { readonly sql: string } | null;

const WORDS = [
  'alpha', 'Zoë', 'naïve café', 'Ærøskøbing', 'Łódź', 'straße', '東京都', '한국어', '😀 smile', '👩🏽‍💻 coder',
  'שלום עולם', 'مرحبا بالعالم', "O'Brien", 'back\\slash', 'tab\there', 'line\nbreak', '  padded  ', 'UPPER lower',
  'Ünïcödé', 'Ελληνικά', 'русский', 'नमस्ते', '%_like_%', '"quoted"', 'null', 'NULL', 'true', '0', 'ok',
];

const LONG_UNIT = Array.from('The quick brown fox jumps over the lazy dog. Zoë 😀 東京 שלום. ');
const longCache = new Map<number, string>();
/** `n` characters (code points) of mixed-script prose. */
function longText(n: number): string {
  let s = longCache.get(n);
  if (s === undefined) {
    const reps = Math.ceil(n / LONG_UNIT.length);
    s = Array.from({ length: reps }, () => LONG_UNIT.join('')).join('');
    s = Array.from(s).slice(0, n).join('');
    if (longCache.size < 64) longCache.set(n, s);
  }
  return s;
}

const pick = <T>(xs: readonly T[], r: number): T => xs[Math.floor(r * xs.length) % xs.length]!;

function cut(s: string, max: number | undefined): string {
  if (max === undefined || s.length <= max) return s;
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, Math.max(0, max)).join('');
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
function isoTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

const DAY = 86_400_000;
const BASE_MS = Date.UTC(2020, 0, 1);

function clampBig(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}

function intBounds(t: { min: bigint; max: bigint }, b: Bounds): [bigint, bigint] {
  let lo = t.min;
  let hi = t.max;
  if (b.min !== undefined && Number.isFinite(b.min)) {
    const m = BigInt(b.minExclusive ? Math.floor(b.min) + 1 : Math.ceil(b.min));
    if (m > lo) lo = m;
  }
  if (b.max !== undefined && Number.isFinite(b.max)) {
    const m = BigInt(b.maxExclusive ? Math.ceil(b.max) - 1 : Math.floor(b.max));
    if (m < hi) hi = m;
  }
  return [lo, hi];
}

/** The closed range a number may take; exclusive bounds move in by one step of the scale. */
function numBounds(b: Bounds, typeMax: number, step: number): [number, number] {
  let lo = -typeMax;
  let hi = typeMax;
  if (b.min !== undefined) lo = Math.max(lo, b.minExclusive ? b.min + step : b.min);
  if (b.max !== undefined) hi = Math.min(hi, b.maxExclusive ? b.max - step : b.max);
  return [lo, hi];
}

function fixed(v: number, scale: number): string {
  return scale > 0 ? v.toFixed(Math.min(scale, 20)) : Math.round(v).toString();
}

function uuidFrom(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(r() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** How one value is chosen for row i. */
export type Mode = 'typical' | 'common' | 'edge' | 'unique';

/**
 * A value of type t for row i. `r` is the column's PRNG stream. Unique mode is injective in i
 * (as far as the type's domain allows).
 */
export function valueFor(t: ColType, mode: Mode, i: number, r: () => number, b: Bounds, dialect: Dialect): Raw {
  if (b.oneOf && b.oneOf.length > 0) {
    const v = mode === 'unique' ? b.oneOf[i % b.oneOf.length]! : mode === 'common' ? b.oneOf[0]! : pick(b.oneOf, r());
    return { text: v };
  }
  switch (t.k) {
    case 'int': {
      const [lo, hi] = intBounds(t, b);
      if (lo > hi) return null;
      const small = clampBig(0n, lo, hi);
      if (mode === 'unique') {
        if (i === 0) return { sql: hi.toString() };
        const start = lo > 1n ? lo : clampBig(1n, lo, hi);
        const v = start + BigInt(i - 1);
        return { sql: (v <= hi ? v : lo + (BigInt(i) % (hi - lo + 1n))).toString() };
      }
      if (mode === 'edge') return { sql: pick([lo, hi, small, clampBig(1n, lo, hi), clampBig(-1n, lo, hi)], r()).toString() };
      if (mode === 'common') return { sql: clampBig(small + BigInt(i % 3), lo, hi).toString() };
      const span = hi - lo;
      const width = span < 100000n ? span : 100000n;
      const base = clampBig(small, lo, hi - width);
      return { sql: (base + BigInt(Math.floor(r() * (Number(width) + 1)))).toString() };
    }
    case 'numeric': {
      const scale = t.scale ?? (mode === 'edge' ? 12 : 2);
      const intDigits = t.precision !== undefined ? t.precision - (t.scale ?? 0) : 12;
      const typeMax = intDigits <= 0 ? 1 - 10 ** -(t.scale ?? 0) : Math.min(10 ** intDigits - 10 ** -scale, 1e15);
      const [lo, hi] = numBounds(b, typeMax, 10 ** -scale);
      const fit = (v: number) => Math.min(hi, Math.max(lo, v));
      if (mode === 'unique') {
        const step = 10 ** -scale;
        const v = fit(Math.max(lo, 0) + (i + 1) * (intDigits > 4 ? 1 : step) + (intDigits > 4 ? (i % 100) * step : 0));
        return { sql: fixed(v, scale) };
      }
      if (mode === 'edge') {
        if (t.precision === undefined && b.min === undefined && b.max === undefined) {
          return { sql: pick(['3.14159265358979323846264338327950288419716939937510', '123456789012345678901234567890.123456789', '-0.000000000000000001', '0'], r()) };
        }
        const nines = t.precision !== undefined && t.scale !== undefined && intDigits > 0
          ? `${'9'.repeat(intDigits)}${t.scale > 0 ? `.${'9'.repeat(t.scale)}` : ''}` : undefined;
        const exactMax = nines && b.max === undefined ? [nines] : [];
        const exactMin = nines && b.min === undefined ? [`-${nines}`] : [];
        return { sql: pick([...exactMax, ...exactMin, fixed(hi, scale), fixed(lo, scale), fixed(fit(0), scale), fixed(fit(10 ** -scale), scale)], r()) };
      }
      if (mode === 'common') return { sql: fixed(fit(9.99 + (i % 3)), scale) };
      return { sql: fixed(fit(lo < 0 && hi > 0 ? (r() - 0.2) * Math.min(hi, 10000) : lo + r() * Math.min(hi - lo, 10000)), scale) };
    }
    case 'float': {
      const big = t.bits === 32 ? 3.4e38 : 1.7e308;
      const [lo, hi] = numBounds(b, big, 1e-6);
      const fit = (v: number) => Math.min(hi, Math.max(lo, v));
      if (mode === 'unique') return { sql: String(fit(i + 0.5)) };
      if (mode === 'edge') return { sql: String(fit(pick([hi, lo, 0, 1e-30, -1e-30, 0.1 + 0.2], r()))) };
      if (mode === 'common') return { sql: String(fit(0.5 * (i % 3))) };
      return { sql: String(fit(Math.round((r() * 2000 - 500) * 1000) / 1000)) };
    }
    case 'text':
    case 'char': {
      const max = Math.min(t.k === 'char' ? t.n : t.max ?? Infinity, b.maxLength ?? Infinity);
      const lim = Number.isFinite(max) ? max : undefined;
      const minLen = b.minLength ?? 0;
      const padTo = (s: string): string => {
        if (minLen === 0) return cut(s, lim);
        const n = Array.from(s).length;
        return cut(n < minLen ? s + 'x'.repeat(minLen - n) : s, lim);
      };
      if (b.like !== undefined) {
        const word = mode === 'unique' ? `u${i.toString(36)}` : mode === 'common' ? 'shared' : `w${Math.floor(r() * 1000)}`;
        const parts = b.like.split('%');
        const s = parts.map((x) => x.replace(/_/g, 'x')).join(word);
        return { text: parts.length > 1 ? s : s };
      }
      if (mode === 'unique') {
        const id = i.toString(36);
        return { text: padTo(`${id}-${pick(WORDS, r()).replace(/\s+/g, '_')}`) };
      }
      if (mode === 'edge') {
        const longLen = lim ?? pick([2000, 3000, 4096], r());
        const long = longText(longLen);
        return { text: padTo(pick(['', long, cut('日本語テキスト😀', lim), ' '], r())) };
      }
      if (mode === 'common') return { text: padTo(['shared value', 'pending', 'Zoë'][i % 3]!) };
      return { text: padTo(`${pick(WORDS, r())} ${Math.floor(r() * 1000)}`) };
    }
    case 'bool': {
      const v = mode === 'unique' ? i % 2 === 0 : mode === 'common' ? true : r() < 0.5;
      return { sql: dialect === 'postgres' ? (v ? 'true' : 'false') : v ? '1' : '0' };
    }
    case 'date': {
      if (mode === 'unique') return { text: isoDate(BASE_MS + i * DAY) };
      if (mode === 'edge') return { text: pick(['1900-01-01', '1970-01-01', '2000-02-29', '2038-01-19', '2999-12-31', '2024-03-10', '2024-10-27'], r()) };
      if (mode === 'common') return { text: '2024-01-01' };
      return { text: isoDate(BASE_MS + Math.floor((r() - 0.5) * 3650) * DAY) };
    }
    case 'time': {
      const tz = t.tz ? pick(['+00', '+05:30', '-08'], r()) : '';
      if (mode === 'unique') return { text: `${isoTime((i % 86400) * 1000)}${tz}` };
      if (mode === 'edge') return { text: `${pick(['00:00:00', '23:59:59.999999', '02:30:00', '12:00:00'], r())}${tz}` };
      if (mode === 'common') return { text: `09:00:00${tz}` };
      return { text: `${isoTime(Math.floor(r() * 86400) * 1000)}${tz}` };
    }
    case 'timestamp': {
      const tzs = t.tz ? pick(['+00', '+02', '-05', '+05:30'], r()) : '';
      if (mode === 'unique') {
        const ms = BASE_MS + i * 3_671_000;
        return { text: `${isoDate(ms)} ${isoTime(ms)}.${String(i % 1000000).padStart(6, '0')}${tzs}` };
      }
      if (mode === 'edge') {
        // far apart, and at DST edges (US 2024-03-10 02:30 does not exist, 2024-11-03 01:30 happens twice; EU 2024-03-31 / 10-27)
        return { text: `${pick(['1900-01-01 00:00:00', '1970-01-01 00:00:00', '2038-01-19 03:14:08', '2999-12-31 23:59:59.999999', '2024-03-10 02:30:00', '2024-11-03 01:30:00', '2024-03-31 02:30:00', '2024-10-27 02:30:00', '2000-02-29 12:00:00'], r())}${tzs}` };
      }
      if (mode === 'common') return { text: `2024-01-01 00:00:00${tzs}` };
      const ms = BASE_MS + Math.floor((r() - 0.5) * 3650 * 86400) * 1000;
      return { text: `${isoDate(ms)} ${isoTime(ms)}${tzs}` };
    }
    case 'interval': {
      if (mode === 'unique') return { text: `${i + 1} minutes` };
      if (mode === 'edge') return { text: pick(['0 seconds', '-3 months', '100 years', '1 day 00:00:00.000001', '1 mon -1 day'], r()) };
      if (mode === 'common') return { text: '1 day' };
      return { text: `${Math.floor(r() * 30)} days ${Math.floor(r() * 24)} hours` };
    }
    case 'uuid':
      return { text: mode === 'common' ? ['00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff'][i % 2]! : uuidFrom(r) };
    case 'json': {
      if (t.shape === 'array') {
        if (mode === 'unique') return { text: JSON.stringify([i, pick(WORDS, r())]) };
        if (mode === 'edge') return { text: pick(['[]', '[null]', '[{}]', JSON.stringify([{ 'ключ': '値 😀' }, [1, [2]], 'x', 3.5, true])], r()) };
        if (mode === 'common') return { text: '[]' };
        return { text: JSON.stringify([{ id: Math.floor(r() * 1000), name: pick(WORDS, r()) }, { id: Math.floor(r() * 1000), ok: r() < 0.5 }]) };
      }
      if (t.shape === 'object') {
        if (mode === 'unique') return { text: JSON.stringify({ id: i, name: pick(WORDS, r()) }) };
        if (mode === 'edge') return { text: pick(['{}', '{"n": null}', JSON.stringify({ 'ключ': '値 😀', deep: { a: [1, { b: null }] } }), JSON.stringify({ list: [], '': '' })], r()) };
        if (mode === 'common') return { text: '{"kind": "default"}' };
        return { text: JSON.stringify({ id: Math.floor(r() * 1000), tags: ['a', pick(WORDS, r())], ok: r() < 0.5 }) };
      }
      if (mode === 'unique') return { text: JSON.stringify({ id: i, name: pick(WORDS, r()) }) };
      if (mode === 'edge') return { text: pick(['{}', '[]', 'null', '"just a string"', '12345678901234567890', JSON.stringify({ 'ключ': '值 😀', deep: { a: [1, { b: null }] } })], r()) };
      if (mode === 'common') return { text: '{"kind": "default"}' };
      return { text: JSON.stringify({ id: Math.floor(r() * 1000), tags: ['a', pick(WORDS, r())], ok: r() < 0.5 }) };
    }
    case 'bytes': {
      const n = mode === 'edge' ? pick([0, 1, 1024], r()) : mode === 'unique' ? 8 : 1 + Math.floor(r() * 16);
      let hex = '';
      if (mode === 'unique') hex = i.toString(16).padStart(16, '0');
      else if (mode !== 'common') for (let k = 0; k < n; k++) hex += Math.floor(r() * 256).toString(16).padStart(2, '0');
      else hex = '00ff';
      return { sql: dialect === 'postgres' ? quoteLiteral(`\\x${hex}`) : `X'${hex}'` };
    }
    case 'enum': {
      if (t.labels.length === 0) return null;
      const labels = b.notOneOf ? t.labels.filter((l) => !b.notOneOf!.includes(l)) : t.labels;
      if (labels.length === 0) return null;
      return { text: mode === 'unique' ? labels[i % labels.length]! : mode === 'common' ? labels[0]! : pick(labels, r()) };
    }
    case 'inet':
      if (mode === 'unique') return { text: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
      if (mode === 'edge') return { text: pick(['::1', '2001:db8::ff00:42:8329', '0.0.0.0', '255.255.255.255', '192.168.0.0/16'], r()) };
      return { text: mode === 'common' ? '127.0.0.1' : `192.168.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}` };
    case 'cidr':
      if (mode === 'unique') return { text: `10.${(i >> 8) & 255}.${i & 255}.0/24` };
      return { text: mode === 'edge' ? pick(['0.0.0.0/0', '2001:db8::/32', '10.0.0.1/32'], r()) : '192.168.0.0/16' };
    case 'macaddr': {
      const h = (n: number) => (n & 255).toString(16).padStart(2, '0');
      return { text: mode === 'unique' ? `08:00:2b:${h(i >> 16)}:${h(i >> 8)}:${h(i)}` : `08:00:2b:01:02:${h(Math.floor(r() * 256))}` };
    }
    case 'money':
      if (mode === 'unique') return { text: `${i}.${String(i % 100).padStart(2, '0')}` };
      if (mode === 'edge') return { text: pick(['0', '-1.50', '92233720368547758.07', '-92233720368547758.08'], r()) };
      return { text: mode === 'common' ? '9.99' : (r() * 1000).toFixed(2) };
    case 'bit': {
      const len = t.varying ? (mode === 'edge' ? pick([0, t.n], r()) : Math.max(1, Math.min(t.n, 8))) : t.n;
      let bits = '';
      if (mode === 'unique') bits = (i % 2 ** Math.min(len, 30)).toString(2).padStart(len, '0').slice(-len);
      else for (let k = 0; k < len; k++) bits += r() < 0.5 ? '0' : '1';
      return { text: bits };
    }
    case 'xml':
      return { text: `<item id="${i}">${mode === 'edge' ? 'Zoë &amp; 😀' : 'x'}</item>` };
    case 'tsvector':
      return { text: mode === 'unique' ? `w${i} fat cat` : 'a fat cat sat on a mat' };
    case 'point':
      return { text: mode === 'unique' ? `(${i},${i % 7})` : `(${Math.floor(r() * 100)},${Math.floor(r() * 100)})` };
    case 'range': {
      if (t.sub.k === 'int' || t.sub.k === 'numeric') return { text: mode === 'unique' ? `[${i * 10},${i * 10 + 5})` : pick(['[1,10)', 'empty', '(,5]', '[0,)'], r()) };
      if (t.sub.k === 'date') return { text: mode === 'unique' ? `[${isoDate(BASE_MS + i * DAY)},${isoDate(BASE_MS + (i + 1) * DAY)})` : '[2024-01-01,2024-02-01)' };
      if (t.sub.k === 'timestamp') return { text: mode === 'unique' ? `[${isoDate(BASE_MS + i * DAY)} 00:00,${isoDate(BASE_MS + i * DAY)} 12:00)` : '[2024-01-01 00:00,2024-01-02 00:00)' };
      return null;
    }
    case 'array': {
      if (mode === 'edge') return { text: pick(['{}', '{NULL}'], r()) };
      const n = mode === 'unique' ? 1 : 1 + Math.floor(r() * 3);
      const els: string[] = [];
      for (let k = 0; k < n; k++) {
        const v = valueFor(t.elem, mode === 'unique' ? 'unique' : 'typical', i, r, {}, dialect);
        if (v === null) els.push('NULL');
        else {
          const s = 'text' in v ? v.text : v.sql.replace(/^'(.*)'$/s, '$1').replace(/''/g, "'");
          els.push(`"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
        }
      }
      return { text: `{${els.join(',')}}` };
    }
    case 'unknown':
      return null;
  }
}

/** A raw value as a SQL literal for the dialect. */
export function render(v: Raw): string {
  if (v === null) return 'NULL';
  if ('sql' in v) return v.sql;
  return quoteLiteral(v.text);
}
