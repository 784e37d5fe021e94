/** Where migralint is installed (works from src/ under vitest and from dist/ after the build). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !readFileSync(path.join(dir, 'package.json'), 'utf8').includes('"name": "migralint"')) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('migralint: cannot find its own package.json');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot();

export const VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
