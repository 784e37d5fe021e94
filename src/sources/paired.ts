/**
 * Formats that keep up and down in separate files:
 * golang-migrate (`N_name.up.sql` + `N_name.down.sql`), diesel (`<folder>/up.sql` + `down.sql`)
 * and Flyway (`V<ver>__name.sql` + undo `U<ver>__name.sql`, repeatable `R__name.sql`, baseline
 * `B<ver>__name.sql`).
 */
import path from 'node:path';
import type { Migration, MigrationSet, SourceFile } from '../model.js';
import { comparePaired, PAIRED_SQL_FILE, pairedName } from '../discover/layout.js';
import { baseName, compareVersions, naturalCompare, type CandidateSet, type LoadContext } from './set-builder.js';

const whole = (file: SourceFile) => ({ file, start: 0, end: file.text.length });

/** golang-migrate's `N_name.up.sql`, and every other `<version>...up.sql`/`.down.sql` pair style. */
export const GOLANG_MIGRATE_FILE = PAIRED_SQL_FILE;

export function loadGolangMigrate(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  type Entry = { parts: readonly bigint[]; id: string; up?: string; down?: string };
  const byVersion = new Map<string, { parts: readonly bigint[]; files: { abs: string; stem: string; direction: 'up' | 'down' }[] }>();
  for (const abs of candidate.files) {
    const p = pairedName(baseName(abs));
    if (!p) continue;
    const group = byVersion.get(p.id) ?? { parts: p.parts, files: [] };
    group.files.push({ abs, stem: baseName(abs).replace(/\.(up|down)\.sql$/i, ''), direction: p.direction });
    byVersion.set(p.id, group);
  }
  // A version pairs its up and down whatever their names; two ups (or downs) of one version (two
  // branches that each added it) stay two migrations, paired by name, for no-duplicate-version.
  const entries: Entry[] = [];
  for (const [id, group] of byVersion) {
    const ups = group.files.filter((f) => f.direction === 'up').length;
    const downs = group.files.length - ups;
    if (ups <= 1 && downs <= 1) {
      const entry: Entry = { parts: group.parts, id };
      for (const f of group.files) entry[f.direction] = f.abs;
      entries.push(entry);
      continue;
    }
    const byStem = new Map<string, Entry>();
    for (const f of [...group.files].sort((a, b) => naturalCompare(a.stem, b.stem))) {
      const entry = byStem.get(f.stem) ?? { parts: group.parts, id: byStem.size === 0 ? id : f.stem };
      entry[f.direction] = f.abs;
      byStem.set(f.stem, entry);
    }
    entries.push(...byStem.values());
  }
  // No down file at all: the project writes up migrations only (as Flyway without undo scripts),
  // and a missing down is its convention, not an omission.
  const usesDowns = entries.some((e) => e.down !== undefined);
  const migrations: Migration[] = [];
  for (const entry of entries.sort((a, b) => comparePaired(a.parts, b.parts))) {
    const upFile = entry.up ? ctx.read(entry.up) : null;
    const downFile = entry.down ? ctx.read(entry.down) : null;
    const file = upFile ?? downFile;
    if (!file || (entry.up && !upFile)) continue;
    migrations.push({
      id: entry.id,
      name: baseName(entry.up ?? entry.down!),
      dialect: candidate.dialect,
      // The file runs as one multi-statement query: an implicit transaction when it has several.
      transaction: 'unknown',
      file,
      up: upFile ? whole(upFile) : null,
      downState: downFile ? 'present' : usesDowns ? 'missing' : 'unsupported',
      down: downFile ? whole(downFile) : null,
    });
  }
  return { format: 'golang-migrate', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}

export function loadDiesel(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  const folders = new Map<string, { up?: string; down?: string; metadata?: string }>();
  for (const abs of candidate.files) {
    const dir = path.dirname(abs);
    const entry = folders.get(dir) ?? {};
    const name = baseName(abs).toLowerCase();
    if (name === 'up.sql') entry.up = abs;
    else if (name === 'down.sql') entry.down = abs;
    else if (name === 'metadata.toml') entry.metadata = abs;
    folders.set(dir, entry);
  }
  const migrations: Migration[] = [];
  for (const [dir, entry] of [...folders].sort(([a], [b]) => naturalCompare(baseName(a), baseName(b)))) {
    if (!entry.up) continue;
    const upFile = ctx.read(entry.up);
    if (!upFile) continue;
    const downFile = entry.down ? ctx.read(entry.down) : null;
    const metadata = entry.metadata ? ctx.read(entry.metadata) : null;
    const noTransaction = metadata ? /^\s*run_in_transaction\s*=\s*false\b/m.test(metadata.text) : false;
    const name = baseName(dir);
    migrations.push({
      id: /^(\d[\d-]*)/.exec(name)?.[1]?.replace(/-/g, '') ?? name,
      name,
      dialect: candidate.dialect,
      transaction: noTransaction ? 'none' : 'transaction',
      file: upFile,
      up: whole(upFile),
      downState: downFile ? 'present' : 'missing',
      down: downFile ? whole(downFile) : null,
    });
  }
  return { format: 'diesel', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}

/**
 * `V<version>__<description>.sql`, undo `U...`, repeatable `R__...`, baseline `B...`. A version
 * is numbers separated by `.` or `_` (Flyway reads `V1_1__x` as version 1.1), so the `__` that
 * ends it is the first double underscore after the numbers.
 */
export const FLYWAY_FILE = /^([VURB])((?:\d+(?:[._]\d+)*)?)__(.*)\.sql$/i;

/**
 * The baseline migration the chain starts from, if any. Flyway runs a baseline (`B1_20__x.sql`)
 * instead of the versioned migrations up to its version, on an empty database only. Where
 * versioned migrations up to it are still there, they are the history every database ran and the
 * baseline adds nothing to it; where the history before it was deleted (the usual reason to write
 * one), the latest baseline older than every versioned migration is where the chain starts.
 */
function flywayBaseline(baselines: readonly { version: string; abs: string }[], versions: readonly string[]): { version: string; abs: string } | undefined {
  const oldest = versions.reduce<string | undefined>((min, v) => (min === undefined || compareVersions(v, min) < 0 ? v : min), undefined);
  let chosen: { version: string; abs: string } | undefined;
  for (const b of baselines) {
    if (oldest !== undefined && compareVersions(b.version, oldest) >= 0) continue;
    if (!chosen || compareVersions(b.version, chosen.version) > 0 || (compareVersions(b.version, chosen.version) === 0 && naturalCompare(b.abs, chosen.abs) > 0)) chosen = b;
  }
  return chosen;
}

export function loadFlyway(candidate: CandidateSet, ctx: LoadContext): MigrationSet {
  const versions = new Map<string, { version: string; v?: string; u?: string }>();
  const repeatables: string[] = [];
  const baselines: { version: string; abs: string }[] = [];
  const duplicates: { version: string; v: string; u?: string }[] = [];
  let usesUndo = false;
  for (const abs of candidate.files) {
    const m = FLYWAY_FILE.exec(baseName(abs));
    if (!m) continue;
    const prefix = m[1]!.toUpperCase();
    if (prefix === 'R') {
      repeatables.push(abs);
      continue;
    }
    // Flyway shows `1_1` as `1.1`, and `V1_1` and `U1.1` are the same version.
    const version = m[2]!.replaceAll('_', '.');
    if (prefix === 'B') {
      baselines.push({ version, abs });
      continue;
    }
    const entry = versions.get(version) ?? { version };
    if (prefix === 'V' && entry.v) {
      // A second script of one version (two branches that each added it): kept, for no-duplicate-version.
      duplicates.push({ version, v: abs });
      continue;
    }
    if (prefix === 'V') entry.v = abs;
    else {
      entry.u = abs;
      usesUndo = true;
    }
    versions.set(version, entry);
  }
  const migrations: Migration[] = [];
  const baseline = flywayBaseline(baselines, [...versions.values()].filter((e) => e.v).map((e) => e.version));
  const baselineFile = baseline ? ctx.read(baseline.abs) : null;
  if (baseline && baselineFile) {
    // A baseline is never undone: Flyway's undo stops at it.
    migrations.push({ id: baseline.version, name: baseName(baseline.abs), dialect: candidate.dialect, transaction: 'transaction', file: baselineFile, up: whole(baselineFile), downState: 'unsupported', down: null });
  }
  const ordered = [...versions.values(), ...duplicates].sort((a, b) => compareVersions(a.version, b.version) || naturalCompare(a.v ?? '', b.v ?? ''));
  for (const entry of ordered) {
    if (!entry.v) continue;
    const upFile = ctx.read(entry.v);
    if (!upFile) continue;
    const undoFile = entry.u ? ctx.read(entry.u) : null;
    migrations.push({
      id: duplicates.includes(entry as (typeof duplicates)[number]) ? baseName(entry.v) : entry.version,
      name: baseName(entry.v),
      dialect: candidate.dialect,
      transaction: 'transaction',
      file: upFile,
      up: whole(upFile),
      downState: undoFile ? 'present' : usesUndo ? 'missing' : 'unsupported',
      down: undoFile ? whole(undoFile) : null,
    });
  }
  // Repeatable migrations run after all versioned ones, ordered by description.
  for (const abs of repeatables.sort((a, b) => naturalCompare(baseName(a), baseName(b)))) {
    const file = ctx.read(abs);
    if (!file) continue;
    migrations.push({ id: baseName(abs), name: baseName(abs), dialect: candidate.dialect, transaction: 'transaction', file, up: whole(file), downState: 'unsupported', down: null });
  }
  return { format: 'flyway', dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
}
