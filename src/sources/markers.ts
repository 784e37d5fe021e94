/**
 * Formats that keep up and down in one file, separated by marker comments:
 * dbmate (`-- migrate:up` / `-- migrate:down`), goose (`-- +goose Up` / `-- +goose Down`) and
 * sql-migrate (`-- +migrate Up` / `-- +migrate Down`).
 */
import type { Migration, MigrationSet, Section, SourceFile, TransactionMode } from '../model.js';
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
    return { format: formatId, dialect: candidate.dialect, root: ctx.rel(candidate.root), migrations, findings: [] };
  };
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
