/**
 * no-duplicate-version: two migrations of one set carry the same version (two branches that each
 * added migration 0042). Versions are read the way each framework reads them; the finding is at
 * the later migration of the pair, naming the earlier one.
 */
import { pairedName } from '../src/discover/layout.js';
import { fileHeadSpan } from '../src/engine/rule-support.js';
import { defineRule } from '../src/engine/rule.js';
import type { FormatId, Migration, MigrationSet } from '../src/model.js';
import { FLYWAY_FILE } from '../src/sources/paired.js';

/** Leading digits as a number (`0042` is `42`). */
const leadingNumber = (name: string): string | null => {
  const digits = /^(\d+)/.exec(name)?.[1];
  return digits === undefined ? null : BigInt(digits).toString();
};

/**
 * The numeric prefix that orders a migration for frameworks that identify it by its whole name:
 * digits with separators between them, up to the first other character (`2023-08-18-0301-x` is
 * `2023-08-18-0301`, `20240101000000_x` is `20240101000000`). Each part counts as a number.
 */
const ORDER_PREFIX = /^\d+(?:[-_.]\d+)*/;
const orderingPrefix = (name: string): string | null => {
  const prefix = ORDER_PREFIX.exec(name)?.[0];
  return prefix === undefined ? null : prefix.split(/[-_.]/).map((p) => BigInt(p).toString()).join('-');
};

/** Flyway compares versions part by part as numbers, trailing zero parts ignored (`1.0` is `1`). */
function flywayVersion(name: string): string | null {
  const m = FLYWAY_FILE.exec(name);
  if (!m || m[1]!.toUpperCase() !== 'V' || m[2] === '') return null;
  const parts = m[2]!.split(/[._]/).map((p) => BigInt(p));
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts.join('.');
}

/** The version each framework identifies a migration by, from its file (or folder) name. */
const VERSION: Record<FormatId, (m: Migration) => string | null> = {
  // dbmate stores the leading digits as a string: `001_x` and `1_x` are two versions.
  dbmate: (m) => /^(\d+)/.exec(m.name)?.[1] ?? null,
  goose: (m) => leadingNumber(m.name),
  'golang-migrate': (m) => pairedName(m.name)?.id ?? null,
  flyway: (m) => flywayVersion(m.name),
  // diesel's version is the folder name up to its first `_`, dashes removed.
  diesel: (m) => /^(\d[\d-]*)/.exec(m.name)?.[1]?.replace(/-/g, '') ?? null,
  // These identify a migration by its whole name; the numeric prefix is what orders them.
  'sql-migrate': (m) => orderingPrefix(m.name),
  knex: (m) => orderingPrefix(m.name),
  prisma: (m) => orderingPrefix(m.name),
  sql: (m) => orderingPrefix(m.name),
  // drizzle-kit numbers its files `0042_name`: two branches that each generated 0042.
  drizzle: (m) => leadingNumber(m.name),
};

/** Formats that identify a migration by its whole name and order by its numeric prefix. */
const NAME_ORDERED: ReadonlySet<FormatId> = new Set(['sql-migrate', 'knex', 'prisma', 'sql']);

const CONSEQUENCE: Record<FormatId, string> = {
  dbmate: 'dbmate records applied migrations by version, so once one of them ran the other is taken as applied and never runs',
  goose: 'goose refuses to run the set ("duplicate version")',
  'golang-migrate': 'golang-migrate refuses to read the set ("duplicate migration file")',
  flyway: 'Flyway refuses to migrate ("Found more than one migration with version")',
  diesel: 'diesel records applied migrations by version, so once one of them ran the other is taken as applied and never runs',
  'sql-migrate': 'sql-migrate runs both, in file-name order, which need not be the order they were written in',
  knex: 'Knex runs both, in file-name order, which need not be the order they were written in',
  prisma: 'Prisma runs both, in folder-name order, which need not be the order they were written in',
  sql: 'both run in file-name order, which need not be the order they were written in',
  drizzle: "drizzle-kit numbers the next migration after the highest one, and the migrator runs both in journal order, which need not be the order they were written in",
};

interface Versions {
  /** The first migration of each version. */
  readonly first: Map<string, Migration>;
  /** Each migration's version (null: none). */
  readonly of: Map<Migration, string | null>;
}

/** The versions of a set's migrations, computed once per set (sets hold thousands). */
const versionsOfSet = new WeakMap<MigrationSet, Versions>();

function versions(set: MigrationSet): Versions {
  let v = versionsOfSet.get(set);
  if (!v) {
    v = { first: new Map(), of: new Map() };
    for (const m of set.migrations) {
      const version = VERSION[set.format](m);
      v.of.set(m, version);
      if (version !== null && !v.first.has(version)) v.first.set(version, m);
    }
    versionsOfSet.set(set, v);
  }
  return v;
}

export default defineRule({
  meta: {
    id: 'no-duplicate-version',
    description: 'Two migrations of one set have the same version or numeric prefix (two branches that each added migration 0042).',
    help: 'Renumber the later migration with a version after every existing one (regenerate it after merging the other branch).',
    defaultLevel: 'error',
    dialects: ['postgres', 'sqlite', 'mysql'],
    recommended: true,
  },
  checkMigration(ctx) {
    if (ctx.direction !== 'up') return;
    const { first, of } = versions(ctx.set);
    const mine = of.has(ctx.migration) ? of.get(ctx.migration)! : VERSION[ctx.format](ctx.migration);
    if (mine === null) return;
    const earlier = first.get(mine);
    if (!earlier || earlier === ctx.migration) return;
    const shown = NAME_ORDERED.has(ctx.format) ? (ORDER_PREFIX.exec(ctx.migration.name)?.[0] ?? mine) : mine;
    ctx.report({
      span: fileHeadSpan(ctx.migration.file),
      message: `Migration "${ctx.migration.name}" has ${NAME_ORDERED.has(ctx.format) ? 'the numeric prefix' : 'version'} ${shown}, like "${earlier.name}": ${CONSEQUENCE[ctx.format]}.`,
    });
  },
});
