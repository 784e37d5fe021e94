/**
 * What every source loader gets: the files of one candidate set, a reader that records file
 * problems, and helpers to build migrations from whole files.
 */
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
}

export class LoadContext {
  readonly problems: FileProblem[] = [];
  private readonly cache = new Map<string, SourceFile | null>();

  constructor(
    readonly cwd: string,
    /** Size cap and where symbolic links may lead (see readSourceFile). */
    readonly readOptions: ReadOptions = {},
  ) {}

  /** Read a file once; null (with a recorded problem) when it cannot be used. */
  read(absPath: string): SourceFile | null {
    if (this.cache.has(absPath)) return this.cache.get(absPath)!;
    const r = readSourceFile(absPath, this.cwd, this.readOptions);
    const file = r.ok ? r.file : null;
    if (!r.ok) this.problems.push(r.problem);
    this.cache.set(absPath, file);
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
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
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
