/**
 * bin/migralint.js guesses, from argv alone and before commander loads, which arguments of
 * `check` are paths (to start the parse worker for a directory run). Its list of options that take
 * a value must be the one `check --help` shows, or an option's value is taken for a path.
 */
import { describe, expect, it } from 'vitest';
import { VALUE_OPTIONS } from '../src/cli/prestart.js';
import { makeTempDir, runCli } from './helpers/cli.js';

describe('prestart', () => {
  it("knows every option of check that takes a value, and no other", () => {
    const help = runCli(['check', '--help'], { cwd: makeTempDir() }).stdout;
    const taking = new Set<string>();
    for (const m of help.matchAll(/^\s+((?:-\w, )?--[\w-]+) <[^>]+>/gm)) for (const flag of m[1]!.split(', ')) taking.add(flag);
    expect(taking.size).toBeGreaterThan(10);
    expect([...VALUE_OPTIONS].sort()).toEqual([...taking].sort());
  });
});
