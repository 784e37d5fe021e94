/** PLACEHOLDER (branch confirmdata writes the real one): minimal Postgres seeding. */
import type { Driver } from './driver.js';

export interface SeedOptions { readonly rows: number; readonly seed: number }
export interface SeedResult { readonly table: string; readonly rows: number; readonly skipped?: string }

export async function seedTables(driver: Driver, tables: readonly string[], opts: SeedOptions): Promise<SeedResult[]> {
  const out: SeedResult[] = [];
  for (const table of tables) {
    const have = Number((await driver.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0);
    if (have >= opts.rows) continue;
    const cols = (await driver.query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' AS hasdef
         FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [table])).rows;
    const names: string[] = [];
    const exprs: string[] = [];
    for (const c of cols) {
      if (c.hasdef) continue;
      const t = String(c.type);
      let e = `'v' || g`;
      if (/int|serial/.test(t)) e = 'g';
      else if (/numeric|decimal|double|real/.test(t)) e = '(g * 1.2345)';
      else if (/bool/.test(t)) e = '(g % 2 = 0)';
      else if (/timestamp|date/.test(t)) e = `(timestamp '2024-01-01' + g * interval '1 hour')`;
      else if (/uuid/.test(t)) e = `md5(g::text)::uuid`;
      else if (/json/.test(t)) e = `json_build_object('g', g)`;
      if (!c.notnull) e = `CASE WHEN g % 10 = 0 THEN NULL ELSE ${e} END`;
      names.push(`"${String(c.name)}"`);
      exprs.push(`(${e})::${t}`);
    }
    try {
      await driver.exec(names.length === 0
        ? `INSERT INTO ${table} SELECT FROM generate_series(1, ${opts.rows - have})`
        : `INSERT INTO ${table} (${names.join(', ')}) SELECT ${exprs.join(', ')} FROM generate_series(${have + 1}, ${opts.rows}) g`);
      out.push({ table, rows: opts.rows - have });
    } catch (err) {
      out.push({ table, rows: 0, skipped: (err as Error).message });
    }
  }
  return out;
}
