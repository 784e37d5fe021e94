/**
 * Formats that keep up and down in one file, separated by marker comments:
 * dbmate (`-- migrate:up` / `-- migrate:down`), goose (`-- +goose Up` / `-- +goose Down`) and
 * sql-migrate (`-- +migrate Up` / `-- +migrate Down`).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Migration, MigrationSet, RawFinding, Section, SourceFile, TransactionMode } from '../model.js';
import { baseName, naturalCompare, type CandidateSet, type LoadContext } from './set-builder.js';

interface MarkerFormat {
  /** Matches a marker line; group 1 is the direction, group 2 the rest of the line. */
  readonly marker: RegExp;
  /** Reads the transaction mode from the up marker's options and the whole text. */
  transaction(upOptions: string, text: string): TransactionMode;
  /** Version used for ordering (numeric prefix), or null when the file name has none. */
  version(fileName: string): string | null;
}

const FORMATS = {
  dbmate: {
    marker: /^[ \t]*--[ \t]*migrate:(up|down)\b([^\r\n]*)/gim,
    transaction: (opts) => (/\btransaction:\s*false\b/i.test(opts) ? 'none' : 'transaction'),
    version: (name) => /^(\d+)/.exec(name)?.[1] ?? null,
  },
  goose: {
    marker: /^[ \t]*--[ \t]*\+goose[ \t]+(up|down)\b([^\r\n]*)/gim,
    transaction: (_opts, text) => (/^[ \t]*--[ \t]*\+goose[ \t]+NO[ \t]+TRANSACTION\b/im.test(text) ? 'none' : 'transaction'),
    version: (name) => /^(\d+)/.exec(name)?.[1] ?? null,
  },
  'sql-migrate': {
    marker: /^[ \t]*--[ \t]*\+migrate[ \t]+(up|down)\b([^\r\n]*)/gim,
    transaction: (opts) => (/\bnotransaction\b/i.test(opts) ? 'none' : 'transaction'),
    version: (name) => /^(\d+)/.exec(name)?.[1] ?? null,
  },
} satisfies Record<'dbmate' | 'goose' | 'sql-migrate', MarkerFormat>;

export type MarkerFormatId = keyof typeof FORMATS;

export function hasMarkers(format: MarkerFormatId, text: string): boolean {
  const re = new RegExp(FORMATS[format].marker.source, 'im');
  return re.test(text);
}

interface Marker {
  readonly direction: 'up' | 'down';
  readonly options: string;
  /** Start of the marker line. */
  readonly lineStart: number;
  /** First character after the marker line. */
  readonly bodyStart: number;
}

function findMarkers(format: MarkerFormat, text: string): Marker[] {
  const markers: Marker[] = [];
  const re = new RegExp(format.marker.source, format.marker.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let bodyStart = m.index + m[0].length;
    if (text[bodyStart] === '\r') bodyStart++;
    if (text[bodyStart] === '\n') bodyStart++;
    markers.push({ direction: m[1]!.toLowerCase() as 'up' | 'down', options: m[2] ?? '', lineStart: m.index, bodyStart });
  }
  return markers;
}

/** Split a file into its up and down sections; each runs until the next marker or EOF. */
export function splitMarkedFile(formatId: MarkerFormatId, file: SourceFile): { up: Section | null; down: Section | null; transaction: TransactionMode } {
  const format = FORMATS[formatId];
  const markers = findMarkers(format, file.text);
  let up: Section | null = null;
  let down: Section | null = null;
  let upOptions = '';
  markers.forEach((m, i) => {
    const end = markers[i + 1]?.lineStart ?? file.text.length;
    const section = { file, start: m.bodyStart, end };
    if (m.direction === 'up' && !up) {
      up = section;
      upOptions = m.options;
    } else if (m.direction === 'down' && !down) down = section;
  });
  return { up, down, transaction: format.transaction(upOptions, file.text) };
}

function loadMarkerSet(formatId: MarkerFormatId): (candidate: CandidateSet, ctx: LoadContext) => MigrationSet {
  return (candidate: CandidateSet, ctx: LoadContext): MigrationSet => {
    const format = FORMATS[formatId];
    const migrations: Migration[] = [];
    const files = [...candidate.files].sort((a, b) => compareByVersion(format, baseName(a), baseName(b)));
    for (const abs of files) {
      const file = ctx.read(abs);
      if (!file) continue;
      const name = baseName(abs);
      const { up, down, transaction } = splitMarkedFile(formatId, file);
      migrations.push({
        id: format.version(name) ?? name.replace(/\.sql$/i, ''),
        name,
        dialect: candidate.dialect,
        transaction,
        file,
        // A file without any marker: the framework would reject it; lint it all as up.
        up: up ?? (down ? null : { file, start: 0, end: file.text.length }),
        downState: down ? 'present' : 'missing',
        down,
      });
    }
    const findings = formatId === 'goose' ? gooseGoMigrations(candidate, migrations, ctx) : [];
    return { format: formatId, dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings };
  };
}

/** `goose.AddMigration(up, down)` and its variants (Context, NoTx, Named): how a Go migration registers. */
const GOOSE_GO_REGISTRATION = /\bgoose\.Add(?:Named)?Migration\w*\s*\(/;

/**
 * goose runs Go migrations (`20240101000000_backfill.go`, registered with `goose.AddMigration`)
 * in version order with the SQL ones. migralint cannot read Go: each is said to be unanalysed,
 * where goose runs it, rather than passed over in silence (what it changes is invisible to the
 * checks of the migrations after it).
 */
function gooseGoMigrations(candidate: CandidateSet, migrations: readonly Migration[], ctx: LoadContext): RawFinding[] {
  const findings: RawFinding[] = [];
  const dirs = new Set(candidate.files.map((f) => path.dirname(f)));
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /^\d+_\w*\.go$/.test(n) && !n.endsWith('_test.go'));
    } catch {
      continue;
    }
    for (const name of names.sort(naturalCompare)) {
      const file = ctx.read(path.join(dir, name));
      const at = file ? GOOSE_GO_REGISTRATION.exec(file.text) : null;
      if (!file || !at) continue;
      const version = BigInt(/^(\d+)/.exec(name)![1]!);
      const after = [...migrations].reverse().find((m) => /^\d+$/.test(m.id) && BigInt(m.id) < version);
      const before = migrations.find((m) => /^\d+$/.test(m.id) && BigInt(m.id) > version);
      const place = after && before ? `between "${after.name}" and "${before.name}"` : after ? `after "${after.name}"` : before ? `before "${before.name}"` : 'with the SQL migrations';
      const end = file.text.indexOf('\n', at.index);
      findings.push({
        ruleId: 'unanalyzable-statement',
        message: `Not analysed: "${name}" is a Go migration, which goose runs ${place}; what it changes in the schema or the data is not seen by the checks of the migrations after it`,
        span: { file, start: at.index, end: end < 0 ? file.text.length : end },
        help: 'Review the Go migration by hand; keep schema changes in SQL migrations, where they are checked.',
      });
    }
  }
  return findings;
}

function compareByVersion(format: MarkerFormat, a: string, b: string): number {
  const va = format.version(a);
  const vb = format.version(b);
  if (va !== null && vb !== null && va !== vb) {
    const x = BigInt(va);
    const y = BigInt(vb);
    if (x !== y) return x < y ? -1 : 1;
  }
  return naturalCompare(a, b);
}

export const loadDbmate = loadMarkerSet('dbmate');
export const loadGoose = loadMarkerSet('goose');
export const loadSqlMigrate = loadMarkerSet('sql-migrate');
