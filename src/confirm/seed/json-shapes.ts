/**
 * What shape of JSON a chain keeps in its json/jsonb columns, read from how its own SQL uses
 * them: `jsonb_array_elements(items)` says `items` holds arrays, `jsonb_set(settings, '{theme}',
 * ...)` that `settings` holds objects. The seeder (../seed.ts) then puts arrays and objects of
 * that shape there, instead of JSON of any kind: a real column the chain reads as an array holds
 * arrays, and seeded objects would make its migrations fail on rows no database of the project
 * holds.
 *
 * Read per column name (the chain's text names columns, not always their tables); a name the
 * chain uses both ways, or neither, has no shape and gets JSON of any kind. Only what the SQL does
 * with a value counts, never a test of its shape (`CHECK (jsonb_typeof(tags) = 'array')`): the
 * migration that adds such a check is the one to try on rows of every shape. Defaults (`DEFAULT
 * '[]'`) are read from the catalog instead (seed/introspect.ts).
 */

export type JsonShape = 'array' | 'object';

/**
 * An identifier, quoted or not, possibly qualified (`t.col`, `"T"."Col"`, at most three parts
 * before it, none around a space: a long `a . b . c ...` made the arrow pattern quadratic): group
 * 1 (quoted) or 2 is its last part.
 */
const COL = String.raw`(?:(?:"[^"]+"|[\p{L}_][\p{L}\p{N}_$]*)\.){0,3}(?:"([^"]+)"|([\p{L}_][\p{L}\p{N}_$]*))`;
/** An optional `COALESCE(` before the column (`COALESCE(items, '[]')`). */
const COALESCE = String.raw`(?:COALESCE\s*\(\s*)?`;
/** The rest of that COALESCE, if it was one (`, '{}'::jsonb)`). */
const COALESCE_REST = String.raw`(?:\s*,\s*'[^']*'(?:\s*::\s*jsonb?)?\s*\))?`;
/** An optional cast after it (`items::jsonb`). */
const CAST = String.raw`(?:\s*::\s*jsonb?)?`;

const SIGNALS: readonly { readonly re: RegExp; readonly shape: JsonShape | ((m: RegExpExecArray) => JsonShape) }[] = [
  { re: new RegExp(String.raw`\bjsonb?_array_(?:elements(?:_text)?|length)\s*\(\s*${COALESCE}${COL}`, 'giu'), shape: 'array' },
  { re: new RegExp(String.raw`\bjsonb?_(?:each(?:_text)?|object_keys)\s*\(\s*${COALESCE}${COL}`, 'giu'), shape: 'object' },
  { re: new RegExp(String.raw`\bCOALESCE\s*\(\s*${COL}${CAST}\s*,\s*'([[{])`, 'giu'), shape: (m) => (m[3] === '[' ? 'array' : 'object') },
  // jsonb_set(col, '{key,...}', ...): a first path element that is a number indexes an array.
  { re: new RegExp(String.raw`\bjsonb_(?:set|insert)(?:_lax)?\s*\(\s*${COALESCE}${COL}${CAST}${COALESCE_REST}\s*,\s*'\{\s*"?([^,}"]*)`, 'giu'), shape: (m) => (/^-?\d+$/.test(m[3]!.trim()) ? 'array' : 'object') },
  // col -> 'key' / col ->> 'key' (an object's field), col -> 0 (an array's element).
  // (Not a type name cast to: `'{}'::jsonb -> 'a'`.)
  { re: new RegExp(String.raw`(?<![:\p{L}\p{N}_$."])${COL}${CAST}\s*->>?\s*('|-?\d)`, 'gu'), shape: (m) => (m[3] === "'" ? 'object' : 'array') },
];

/** Words that end a COL match but are not columns (`SELECT '{}'::jsonb -> 'a'` has none; a keyword before `->` is). */
const NOT_COLUMNS = new Set(['select', 'where', 'and', 'or', 'then', 'else', 'when', 'case', 'end', 'return', 'returning', 'set', 'on', 'as', 'not', 'in', 'from']);

/** Column name (lower-cased where it was not quoted) → the shape the chain's SQL gives it. */
export function jsonShapesIn(texts: Iterable<string>): Map<string, JsonShape> {
  const seen = new Map<string, JsonShape | null>();
  for (const text of texts) {
    if (!/json|->|coalesce/i.test(text)) continue;
    for (const { re, shape } of SIGNALS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const name = m[1] ?? m[2]!.toLowerCase();
        if (m[1] === undefined && NOT_COLUMNS.has(name)) continue;
        const s = typeof shape === 'function' ? shape(m) : shape;
        const before = seen.get(name);
        seen.set(name, before === undefined || before === s ? s : null);
      }
    }
  }
  const out = new Map<string, JsonShape>();
  for (const [name, s] of seen) if (s) out.set(name, s);
  return out;
}

/** The shape a column's DEFAULT gives it (`'[]'::jsonb`, `'{}'`), if it is a JSON literal. */
export function jsonShapeOfDefault(def: string): JsonShape | undefined {
  const m = /^\s*\(?\s*'\s*([[{])/.exec(def);
  return m ? (m[1] === '[' ? 'array' : 'object') : undefined;
}
