import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, CheckInputError, formatResult, loadConfig, RULES, spanToRegion } from '../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('library API', () => {
  it('check() runs the same pipeline as the CLI', async () => {
    const config = await loadConfig(ROOT);
    const result = await check(['examples/shop'], { cwd: ROOT, config });
    expect(result.summary).toMatchObject({ sets: 1, migrations: 5, errors: 3, warnings: 1 });
    expect(result.findings.map((f) => [f.span.file.relPath, spanToRegion(f.span).line, f.ruleId])).toEqual([
      ['examples/shop/db/migrations/20240301080000_order_status.sql', 6, 'require-not-null-backfill'],
      ['examples/shop/db/migrations/20240301080000_order_status.sql', 9, 'require-concurrent-index'],
      ['examples/shop/db/migrations/20240410170000_drop_notes.sql', 1, 'require-down'],
      ['examples/shop/db/migrations/20240410170000_drop_notes.sql', 2, 'no-drop-column'],
    ]);
    const sarif = JSON.parse(formatResult(result, 'sarif', { color: false, version: '0.0.0' }));
    expect(sarif.runs[0].tool.driver.rules).toHaveLength(RULES.length);
  });

  it('check() rejects a path with no migrations, saying where it looked', async () => {
    const config = await loadConfig(ROOT);
    await expect(check(['rules'], { cwd: ROOT, config })).rejects.toThrow(CheckInputError);
    await expect(check(['rules'], { cwd: ROOT, config })).rejects.toThrow(/no migrations found in rules \(looked for \.sql files/);
  });

  it('the package entry point resolves to the built library', async () => {
    const pkg = await import('migralint');
    expect(typeof pkg.check).toBe('function');
    expect(pkg.VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
