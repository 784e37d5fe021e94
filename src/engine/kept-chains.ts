/**
 * Chain states kept in memory between the lints of one process (the ESLint plugin's FileLinter:
 * an editor lints a migration again on every keystroke, `eslint .` lints every file of a set):
 * the schema state after a set's first migrations, for a later lint of a migration after them.
 * What `check --cache` keeps on disk between runs (src/cache/parse-cache.ts), without writing it
 * out.
 *
 * A kept state stands for the same migrations only: each with the same id and up section, in
 * the same SourceFile object. A LoadContext kept between lints hands out one object per file
 * text, and a new one when the file changed (src/sources/set-builder.ts).
 */
import type { Migration, MigrationSet, Section, SourceFile } from '../model.js';
import type { ChainStates } from './lint.js';
import type { SchemaState } from './schema-state.js';

/** States kept (the last used first): a few sets, or a few places in one. */
const MAX_KEPT = 8;

interface Key {
  readonly id: string;
  readonly file: SourceFile;
  readonly up: Section | null;
}

interface Kept {
  /** Which set: its place, layout and dialect. */
  readonly set: string;
  readonly keys: readonly Key[];
  /** Never walked on: each lint that resumes from it gets a clone. */
  readonly state: SchemaState;
}

const setKey = (set: MigrationSet): string => `${set.root}\0${set.format}\0${set.dialect}`;

const keyOf = (m: Migration): Key => ({ id: m.id, file: m.file, up: m.up });

/** The first place where the kept keys and the chain's migrations differ, or -1 (as far as both go). */
function firstDifference(keys: readonly Key[], migrations: readonly Migration[]): number {
  const n = Math.min(keys.length, migrations.length);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const m = migrations[i]!;
    if (k.id !== m.id || k.file !== m.file || (k.up === null) !== (m.up === null)) return i;
    if (k.up && m.up && (k.up.file !== m.up.file || k.up.start !== m.up.start || k.up.end !== m.up.end)) return i;
  }
  return -1;
}

export class KeptChains implements ChainStates {
  private readonly kept: Kept[] = [];

  chainState(set: MigrationSet, prefix: readonly Migration[]): { state: SchemaState; length: number } | undefined {
    const key = setKey(set);
    let best: Kept | undefined;
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const k = this.kept[i]!;
      if (k.set !== key) continue;
      if (firstDifference(k.keys, prefix) >= 0) {
        // Kept for migrations that are not this set's any more (a file on disk changed: a
        // LoadContext hands out a new SourceFile for it; a kept state never holds an editor's
        // buffer, which is only ever the linted file): it never stands again. Let it go, with the
        // old files and the parses of them it holds on to.
        this.kept.splice(i, 1);
        continue;
      }
      if (k.keys.length <= prefix.length && (!best || k.keys.length > best.keys.length)) best = k;
    }
    if (!best) return undefined;
    this.kept.splice(this.kept.indexOf(best), 1);
    this.kept.unshift(best);
    return { state: best.state.clone(), length: best.keys.length };
  }

  storeChainState(set: MigrationSet, prefix: readonly Migration[], state: SchemaState): void {
    const key = setKey(set);
    const same = this.kept.findIndex((k) => k.set === key && k.keys.length === prefix.length && firstDifference(k.keys, prefix) < 0);
    if (same >= 0) this.kept.splice(same, 1);
    this.kept.unshift({ set: key, keys: prefix.map(keyOf), state: state.clone() });
    this.kept.length = Math.min(this.kept.length, MAX_KEPT);
  }
}
