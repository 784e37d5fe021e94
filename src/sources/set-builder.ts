/**
 * What every source loader gets: the files of one candidate set, a reader that records file
 * problems, and helpers to build migrations from whole files.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readSourceFile, relativePath, type ReadOptions } from '../discover/read-file.js';
import type { Dialect, FileProblem, FormatId, MigrationSet, SourceFile } from '../model.js';

export interface CandidateSet {
  readonly format: FormatId;
  /** Absolute directory of the set, or the single file given on the command line. */
  readonly root: string;
  /** Absolute paths of the files that belong to the set. */
  readonly files: string[];
  readonly dialect: Dialect;
  /** The dialect was given by the user (`--dialect` or config) and must win over detection. */
  readonly dialectForced: boolean;
  /** Nothing named or implied the dialect: `dialect` is the fallback (the run says so). */
  readonly dialectAssumed?: boolean;
}

/** What a context knows of a file it read. */
interface Cached {
  readonly file: SourceFile | null;
  /** Why the file could not be used (re-reported by every run that is served the entry). */
  readonly problem?: FileProblem;
  /** The text came from an override (an editor's buffer), not from disk: never served without it. */
  readonly fromOverride: boolean;
  /**
   * A kept context's stat of the file taken just before it was read: the entry is served while
   * the file's stat is still this. Undefined when that stat could not show the next change (the
   * file had changed too shortly before it was read): the next run reads the file again.
   */
  readonly stamp?: string;
  /** The last run (see beginRun) that read or checked it: within one run a file is looked at once. */
  run: number;
}

/**
 * How long before a read a file must have last changed for its stat to be trusted to show the
 * next change. Timestamps are coarse: a clock tick (a few ms) on Linux before multigrain
 * timestamps, 1 s on HFS+, 2 s on FAT; a write in the same tick as the read leaves the stat as
 * it was. Git calls such entries "racily clean" and checks their content; so does this.
 */
const RACY_MS = 2000;

/**
 * The file's identity, size and last change as stat shows them (ctime too: a copy that keeps
 * mtimes, `cp -p` or tar, or a same-size edit whose mtime was set back, still moves ctime, which
 * no user can set), or undefined when that is not to be trusted (see RACY_MS). `readAt`: when the
 * read that follows starts.
 */
function stampOf(absPath: string, readAt: number): string | undefined {
  let st: import('node:fs').BigIntStats;
  try {
    st = statSync(absPath, { bigint: true });
  } catch (err) {
    return `missing:${(err as NodeJS.ErrnoException).code ?? ''}`;
  }
  const changedMs = Number((st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs) / 1_000_000n);
  if (changedMs >= readAt - RACY_MS) return undefined;
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

export class LoadContext {
  readonly problems: FileProblem[] = [];
  private readonly cache = new Map<string, Cached>();
  /** Texts that replace files on disk (an editor's unsaved buffer), by absolute path. */
  overrides?: ReadonlyMap<string, string>;
  private run = 0;

  /**
   * `kept`: the context is kept between runs (the ESLint plugin), and files on disk may change
   * in between: a cached file is served only while its stat is what it was just before it was
   * read (see Cached.stamp); otherwise it is read again. A context made for one run reads each
   * file once.
   */
  constructor(
    readonly cwd: string,
    private readonly kept = false,
    /** Size cap and where symbolic links may lead (see readSourceFile). */
    public readOptions: ReadOptions = {},
  ) {}

  /** A new run (a discovery): no problems recorded yet, and files are looked at afresh. */
  beginRun(): void {
    this.problems.length = 0;
    this.run++;
  }

  /** Read a file once; null (with a recorded problem) when it cannot be used. */
  read(absPath: string): SourceFile | null {
    const cached = this.cache.get(absPath);
    const override = this.overrides?.get(absPath);
    if (override !== undefined) {
      const text = override.charCodeAt(0) === 0xfeff ? override.slice(1) : override;
      if (cached?.file && cached.file.text === text) return cached.file;
      const file: SourceFile = { path: absPath, relPath: this.rel(absPath), text };
      this.cache.set(absPath, { file, fromOverride: true, run: this.run });
      return file;
    }
    const serve = (c: Cached): SourceFile | null => {
      if (c.problem && !this.problems.includes(c.problem)) this.problems.push(c.problem);
      c.run = this.run;
      return c.file;
    };
    // An editor's buffer linted earlier is not what is on disk: a later run that has no buffer
    // for that file (another file of the set is being linted) reads the disk again.
    const fromDisk = cached && !cached.fromOverride ? cached : undefined;
    if (fromDisk && (!this.kept || fromDisk.run === this.run)) return serve(fromDisk);
    const stamp = this.kept ? stampOf(absPath, Date.now()) : undefined;
    if (fromDisk && stamp !== undefined && stamp === fromDisk.stamp) return serve(fromDisk);
    const r = readSourceFile(absPath, this.cwd, this.readOptions);
    let file = r.ok ? r.file : null;
    // The same file as before (touched, saved unchanged, or re-read because its stat was too
    // recent to trust): the same SourceFile, so what was computed from it (parses, Knex
    // analyses, format sniffing, all kept per SourceFile) is reused.
    const before = cached?.file;
    if (file && before && before.text === file.text && before.relPath === file.relPath && before.bom === file.bom) file = before;
    if (!r.ok) this.problems.push(r.problem);
    this.cache.set(absPath, { file, fromOverride: false, run: this.run, ...(r.ok ? {} : { problem: r.problem }), ...(stamp !== undefined ? { stamp } : {}) });
    return file;
  }

  rel(absPath: string): string {
    return relativePath(this.cwd, absPath);
  }
}

export type SetLoader = (candidate: CandidateSet, ctx: LoadContext) => MigrationSet | Promise<MigrationSet>;

export function baseName(p: string): string {
  return path.basename(p);
}

/** Natural order: `2_x` before `10_x`, then plain string order. */
let natural: Intl.Collator | undefined;

export function naturalCompare(a: string, b: string): number {
  const primary = asciiNaturalCompare(a, b);
  if (primary !== undefined) return primary;
  // One collator: `localeCompare` with options builds a new one on every call. Made on first
  // use, and only for names the fast path below leaves: building it costs ~10 ms.
  natural ??= new Intl.Collator('en', { numeric: true });
  return natural.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/**
 * The collator's answer without the collator, for the pairs where it is plain: printable ASCII
 * names that first differ in a number (`0002_x` / `0010_x`: compared by value) or in a letter other
 * than by case (`add_a` / `add_b`). The text before that point is the same in both, so the first
 * difference in the collator's primary weights is there, and it decides. Undefined for every
 * other pair (a digit against a non-digit, punctuation, case only, equal values such as `01` and
 * `1`, non-ASCII, control characters): the collator decides those. test/natural-order.test.ts
 * compares the two on random names.
 */
function asciiNaturalCompare(a: string, b: string): number | undefined {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n || !PRINTABLE_ASCII.test(a) || !PRINTABLE_ASCII.test(b)) return undefined;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (isDigit(ca) || isDigit(cb)) {
    // The whole digit run on each side, from where the shared digits before it start.
    let start = i;
    while (start > 0 && isDigit(a.charCodeAt(start - 1))) start--;
    let endA = i;
    let endB = i;
    while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
    while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
    if (endA === start || endB === start) return undefined;
    // By value: leading zeros dropped, then the longer number is the larger.
    let fromA = start;
    let fromB = start;
    while (fromA < endA - 1 && a.charCodeAt(fromA) === 48) fromA++;
    while (fromB < endB - 1 && b.charCodeAt(fromB) === 48) fromB++;
    const lengthA = endA - fromA;
    const lengthB = endB - fromB;
    // The collator splits very long numbers.
    if (lengthA > 200 || lengthB > 200) return undefined;
    if (lengthA !== lengthB) return lengthA < lengthB ? -1 : 1;
    for (let k = 0; k < lengthA; k++) {
      const x = a.charCodeAt(fromA + k);
      const y = b.charCodeAt(fromB + k);
      if (x !== y) return x < y ? -1 : 1;
    }
    return undefined;
  }
  if (isLetter(ca) && isLetter(cb) && (ca | 32) !== (cb | 32)) return (ca | 32) < (cb | 32) ? -1 : 1;
  return undefined;
}

/** Compare dotted/underscored versions (`1.10.2` vs `1.9`) numerically part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._]/);
  const pb = b.split(/[._]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = BigInt(/^\d+$/.test(pa[i] ?? '') ? pa[i]! : '0');
    const y = BigInt(/^\d+$/.test(pb[i] ?? '') ? pb[i]! : '0');
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function emptyOrWhole(file: SourceFile): { file: SourceFile; start: number; end: number } {
  return { file, start: 0, end: file.text.length };
}
