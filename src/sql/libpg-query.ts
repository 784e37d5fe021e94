/**
 * libpg-query (the Postgres parser, WebAssembly), loaded with `require`. The package is CommonJS:
 * an ES `import` of it runs Node's CommonJS export lexer over its index and the types package it
 * re-exports before the code runs, ~9 ms of CPU that a one-file run waits for (measured by CPU
 * profile, Node 20). Loaded when this module is: only by the modules that parse Postgres.
 */
import { createRequire } from 'node:module';

type LibpgQuery = typeof import('libpg-query');

const libpgQuery = createRequire(import.meta.url)('libpg-query') as LibpgQuery;

export const { loadModule, parseSync, parsePlPgSQLSync, scanSync } = libpgQuery;
