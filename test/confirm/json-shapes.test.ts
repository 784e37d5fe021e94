/**
 * The JSON shape the seeder gives a json/jsonb column, from how the chain's SQL reads it
 * (src/confirm/seed/json-shapes.ts) and from a JSON literal DEFAULT.
 */
import { describe, expect, it } from 'vitest';
import { jsonShapeOfDefault, jsonShapesIn } from '../../src/confirm/seed/json-shapes.js';

const shapes = (...texts: string[]) => Object.fromEntries(jsonShapesIn(texts));

describe('JSON shapes read from the chain', () => {
  it('reads arrays from element and length functions, COALESCE with [] and integer paths', () => {
    expect(shapes(
      "SELECT e FROM t, LATERAL jsonb_array_elements(COALESCE(t.app_mappings, '[]'::jsonb)) AS e;",
      'SELECT json_array_length(Tags) FROM t;',
      'SELECT * FROM jsonb_array_elements_text("Items") x;',
      "UPDATE t SET steps = COALESCE(steps, '[]') || '[1]';",
      "UPDATE t SET queue = jsonb_set(queue, '{0}', '1');",
      'SELECT history -> 0 FROM t;',
    )).toEqual({ app_mappings: 'array', tags: 'array', Items: 'array', steps: 'array', queue: 'array', history: 'array' });
  });

  it('reads objects from key paths, key functions, COALESCE with {} and ->> of a key', () => {
    expect(shapes(
      "UPDATE t SET tax_config = jsonb_set(tax_config, '{tax_code_id}', to_jsonb(m.id::text));",
      "UPDATE t SET prefs = jsonb_set(COALESCE(prefs, '{}'::jsonb), '{\"theme\"}', '\"dark\"');",
      'SELECT key FROM t, jsonb_object_keys(t.meta) AS key;',
      'SELECT * FROM jsonb_each(attrs);',
      "SELECT coalesce(extra, '{}') FROM t;",
      "SELECT payload->>'kind' FROM t WHERE settings -> 'x' IS NOT NULL;",
    )).toEqual({ tax_config: 'object', prefs: 'object', meta: 'object', attrs: 'object', extra: 'object', payload: 'object', settings: 'object' });
  });

  it('takes no shape from a test of the shape: the migration that adds such a CHECK is tried on rows of every shape', () => {
    expect(shapes("ALTER TABLE t ADD CONSTRAINT c CHECK (jsonb_typeof(tags) = 'array');", "DELETE FROM t WHERE jsonb_typeof(doc) = 'object';")).toEqual({});
  });

  it('reads a spaced or long qualified name in linear time', () => {
    // 'a . a . a ...': each word once a start, each reading the whole chain was quadratic.
    const long = `json ${'a . '.repeat(30000)}a`;
    const t = performance.now();
    expect(shapes(long, `${'x.'.repeat(50000)}y, s.t.col -> 'k'`)).toEqual({ col: 'object' });
    // (12 s for this input before; a hang guard, not a speed measurement.)
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('gives no shape to a name the chain reads both ways, nor to keywords before an arrow', () => {
    expect(shapes("SELECT jsonb_array_length(data) FROM a;\nSELECT data->>'k' FROM b;", "SELECT '{\"a\":1}'::jsonb -> 'a'", "SELECT CASE WHEN true THEN '{}'::jsonb END -> 'a'")).toEqual({});
  });

  it('reads a DEFAULT that is a JSON literal', () => {
    expect(jsonShapeOfDefault("'[]'::jsonb")).toBe('array');
    expect(jsonShapeOfDefault("'{}'::json")).toBe('object');
    expect(jsonShapeOfDefault("('{\"a\": 1}'::jsonb)")).toBe('object');
    expect(jsonShapeOfDefault("'null'::jsonb")).toBeUndefined();
    expect(jsonShapeOfDefault('gen_default()')).toBeUndefined();
  });
});
