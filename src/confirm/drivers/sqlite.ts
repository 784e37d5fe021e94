/** PLACEHOLDER (branch confirmdata writes the real one). */
import type { Driver } from '../driver.js';

export async function openSqlite(): Promise<Driver> {
  throw new Error('SQLite confirmation is not available in this build (placeholder driver)');
}
