/** Bounds CHECK constraints put on columns, for the simple shapes (filled in below). */
import type { TableInfo } from './model.js';
import type { Bounds } from './values.js';
import type { Driver } from '../driver.js';

export function columnBounds(_t: TableInfo, _dialect: Driver['dialect']): Map<string, Bounds> {
  return new Map();
}
