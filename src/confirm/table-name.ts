/**
 * Table names as the confirm modules pass them around: `schema.table` for Postgres
 * ('public.users', 'billing.Invoices'), the bare name for SQLite ('users'). Quoting and parsing
 * live here once, so mixed case, reserved words and dots inside quotes survive.
 */
export interface TableRef {
  readonly schema?: string;
  readonly name: string;
}

/** Quote one identifier the standard SQL way (both Postgres and SQLite accept double quotes). */
export function quoteIdent(id: string): string {
  return `"${id.replace(/"/g, '""')}"`;
}

/** `schema.table` or `table`; either part may itself be double-quoted ("My.Schema"."T"). */
export function parseTableName(text: string): TableRef {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let part = '';
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          part += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else part += text[j++];
      }
      parts.push(part);
      i = j + 1;
      if (text[i] === '.') i++;
    } else {
      const dot = parts.length === 0 ? text.indexOf('.', i) : -1;
      const end = dot < 0 ? text.length : dot;
      parts.push(text.slice(i, end));
      i = end + 1;
    }
  }
  if (parts.length >= 2) return { schema: parts[0]!, name: parts.slice(1).join('.') };
  return { name: parts[0] ?? text };
}

export function quoteTable(ref: TableRef): string {
  return ref.schema === undefined ? quoteIdent(ref.name) : `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}`;
}

/** The display/report form: `schema.table` (pg) or `table` (sqlite), unquoted. */
export function tableKey(ref: TableRef): string {
  return ref.schema === undefined ? ref.name : `${ref.schema}.${ref.name}`;
}

/** A SQL string literal (standard_conforming_strings: backslashes are ordinary characters). */
export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
