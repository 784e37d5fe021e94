/**
 * Up/down pairs in separate files, whatever the version style: `1_init.up.sql` (golang-migrate),
 * `V0001.Initial_Schema.up.sql`, `001-create-users.up.sql`, `2024_01_01_name.up.sql`,
 * `20240101120000_name.down.sql`, `1.2.0_name.up.sql`. A file pairs with the one of the same
 * version and the other suffix; versions are ordered as numbers, part by part.
 */

/** `<stem>.up.sql` / `<stem>.down.sql`, the stem starting with a version (an optional letter, then digits). */
export const PAIRED_SQL_FILE = /^([A-Za-z]?)(\d+(?:[._-]\d+)*)(?:[._-]+(.*?))?\.(up|down)\.sql$/i;

export interface PairedName {
  /** Numeric version parts (`V0001` → [1n]; `2024_01_01` → [2024n, 1n, 1n]). */
  readonly parts: readonly bigint[];
  /** The version as an id: `1`, `2024.1.1`. */
  readonly id: string;
  readonly direction: 'up' | 'down';
}

export function pairedName(fileName: string): PairedName | null {
  const m = PAIRED_SQL_FILE.exec(fileName);
  if (!m) return null;
  const parts = m[2]!.split(/[._-]/).map((p) => BigInt(p));
  return { parts, id: parts.map(String).join('.'), direction: m[4]!.toLowerCase() as 'up' | 'down' };
}

/** Numeric order of version parts; a shorter version that is a prefix comes first. */
export function comparePaired(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}
