/**
 * The Postgres drivers the data modules' tests run on: the product's own PGlite and server
 * drivers (src/confirm/drivers/), with the PGlite instance shut down when a test file closes it.
 */
import type { Driver } from '../../../src/confirm/driver.js';
import { openPglite, shutdownPglite } from '../../../src/confirm/drivers/pglite.js';
import { openServer } from '../../../src/confirm/drivers/pg.js';

export const DATABASE_URL = process.env.MIGRALINT_TEST_DATABASE_URL;
export const NO_SERVER_REASON = 'MIGRALINT_TEST_DATABASE_URL is unset (a real Postgres server is needed)';

export async function testPglite(): Promise<Driver> {
  const d = await openPglite();
  return {
    ...d,
    async close() {
      await d.close();
      await shutdownPglite();
    },
  };
}

/** A random throwaway database on the server, dropped on close. */
export async function testServer(url: string): Promise<Driver & { database: string }> {
  return openServer(url, { keep: false });
}
