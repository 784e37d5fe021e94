/**
 * The Knex API migralint may call: one explicit list per builder kind, written from Knex 3's
 * sources (lib/schema/builder.js, tablebuilder.js, columnbuilder.js, lib/query/querybuilder.js,
 * lib/query/joinclause.js, lib/knex-builder/FunctionHelper.js).
 *
 * The static interpreter records a call for replay only when its method is on the list of the
 * builder it is made on (anything else is `unanalyzable`), and `knexToSql` checks every name again
 * before it touches a real Knex object. A name that is not on a list, or that is an
 * `Object.prototype` / `Function.prototype` member (`constructor`, `__proto__`,
 * `__lookupGetter__`, `call`, `apply`, `bind`, `toString`, ...), is never looked up on a builder:
 * a migration's text must not be able to reach `Function` through a builder's prototype chain.
 *
 * The lists hold only what shapes the SQL a migration sends. Execution and introspection methods
 * (`then`, `stream`, `pipe`, `columnInfo`, `clone`, `toSQL`, EventEmitter methods, ...) are not
 * replayed: the interpreter treats the ones it knows itself.
 */

export type KnexBuilderKind = 'schema' | 'table' | 'column' | 'query' | 'fn';

/** `knex.schema.<method>(...)`. */
export const SCHEMA_BUILDER_METHODS: ReadonlySet<string> = new Set([
  'createTable', 'createTableIfNotExists', 'createTableLike', 'table', 'alterTable', 'dropTable', 'dropTableIfExists',
  'renameTable', 'hasTable', 'hasColumn', 'raw', 'withSchema',
  'createView', 'createViewOrReplace', 'createMaterializedView', 'refreshMaterializedView', 'dropView', 'dropViewIfExists',
  'dropMaterializedView', 'dropMaterializedViewIfExists', 'renameView', 'view', 'alterView',
  'createSchema', 'createSchemaIfNotExists', 'dropSchema', 'dropSchemaIfExists',
  'createExtension', 'createExtensionIfNotExists', 'dropExtension', 'dropExtensionIfExists',
]);

/** Column types of the table builder (the callback's `table.<type>(name, ...)`). */
export const TABLE_COLUMN_TYPES: ReadonlySet<string> = new Set([
  'tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double', 'real', 'bit', 'boolean', 'serial',
  'date', 'datetime', 'timestamp', 'time', 'year', 'geometry', 'geography', 'point', 'char', 'varchar', 'tinytext',
  'tinyText', 'text', 'mediumtext', 'mediumText', 'longtext', 'longText', 'binary', 'varbinary', 'tinyblob', 'tinyBlob',
  'mediumblob', 'mediumBlob', 'blob', 'longblob', 'longBlob', 'enum', 'set', 'bool', 'dateTime', 'increments',
  'bigincrements', 'bigIncrements', 'integer', 'biginteger', 'bigInteger', 'string', 'json', 'jsonb', 'uuid', 'enu',
  'specificType',
]);

/** Every other method of the table builder (create and alter mode). */
export const TABLE_BUILDER_METHODS: ReadonlySet<string> = new Set([
  ...TABLE_COLUMN_TYPES,
  'timestamps', 'index', 'primary', 'unique', 'foreign', 'check', 'comment', 'engine', 'charset', 'collate', 'inherits',
  'setSchema', 'queryContext',
  'dropPrimary', 'dropPrimaryIfExists', 'dropUnique', 'dropUniqueIfExists', 'dropIndex', 'dropForeign', 'dropForeignIfExists',
  // alter mode (`alterTable` / `table`)
  'dropColumn', 'dropColumns', 'renameColumn', 'dropTimestamps', 'setNullable', 'dropNullable', 'dropChecks',
]);

/** `table.foreign(...)` and `column.references(...)`: the foreign-key chain. */
export const FOREIGN_BUILDER_METHODS: ReadonlySet<string> = new Set([
  'references', 'inTable', 'on', 'withKeyName', 'onDelete', 'onUpdate', 'deferrable',
]);

/** Modifiers of a column builder (`table.string('x').<modifier>()`), foreign-key chain included. */
export const COLUMN_BUILDER_METHODS: ReadonlySet<string> = new Set([
  'default', 'defaultsTo', 'defaultTo', 'unsigned', 'nullable', 'notNull', 'notNullable', 'first', 'after', 'comment',
  'collate', 'check', 'checkPositive', 'checkNegative', 'checkIn', 'checkNotIn', 'checkBetween', 'checkLength',
  'checkRegex', 'index', 'primary', 'unique', 'queryContext',
  // alter mode
  'drop', 'alter', 'alterType',
  ...FOREIGN_BUILDER_METHODS,
]);

/** The query builder (`knex('t').<method>()`), its `onConflict()` builder included. */
export const QUERY_BUILDER_METHODS: ReadonlySet<string> = new Set([
  'with', 'withRecursive', 'withMaterialized', 'withNotMaterialized', 'withWrapped', 'withRecursiveWrapped',
  'select', 'as', 'columns', 'column', 'from', 'fromJS', 'fromRaw', 'into', 'withSchema', 'table', 'distinct', 'distinctOn',
  'join', 'joinRaw', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'outerJoin', 'fullOuterJoin',
  'crossJoin',
  'where', 'andWhere', 'orWhere', 'whereNot', 'andWhereNot', 'orWhereNot', 'whereColumn', 'andWhereColumn', 'orWhereColumn',
  'whereNotColumn', 'andWhereNotColumn', 'orWhereNotColumn', 'whereLike', 'andWhereLike', 'orWhereLike', 'whereILike',
  'andWhereILike', 'orWhereILike', 'whereRaw', 'andWhereRaw', 'orWhereRaw', 'whereWrapped', 'havingWrapped', 'whereExists',
  'orWhereExists', 'whereNotExists', 'orWhereNotExists', 'whereIn', 'orWhereIn', 'whereNotIn', 'orWhereNotIn', 'whereNull',
  'orWhereNull', 'whereNotNull', 'orWhereNotNull', 'whereBetween', 'whereNotBetween', 'andWhereBetween',
  'andWhereNotBetween', 'orWhereBetween', 'orWhereNotBetween',
  'whereJsonObject', 'orWhereJsonObject', 'andWhereJsonObject', 'whereNotJsonObject', 'orWhereNotJsonObject',
  'andWhereNotJsonObject', 'whereJsonPath', 'orWhereJsonPath', 'andWhereJsonPath', 'whereJsonSupersetOf',
  'orWhereJsonSupersetOf', 'whereJsonNotSupersetOf', 'orWhereJsonNotSupersetOf', 'whereJsonSubsetOf',
  'orWhereJsonSubsetOf', 'whereJsonNotSubsetOf', 'orWhereJsonNotSubsetOf', 'whereJsonHasNone',
  'jsonExtract', 'jsonSet', 'jsonInsert', 'jsonRemove',
  'groupBy', 'groupByRaw', 'orderBy', 'orderByRaw', 'union', 'unionAll', 'intersect', 'except',
  'having', 'andHaving', 'orHaving', 'havingRaw', 'orHavingRaw', 'havingIn', 'andHavingIn', 'orHavingIn', 'havingNotIn',
  'andHavingNotIn', 'orHavingNotIn', 'havingNull', 'andHavingNull', 'orHavingNull', 'havingNotNull', 'andHavingNotNull',
  'orHavingNotNull', 'havingExists', 'andHavingExists', 'orHavingExists', 'havingNotExists', 'andHavingNotExists',
  'orHavingNotExists', 'havingBetween', 'andHavingBetween', 'orHavingBetween', 'havingNotBetween', 'andHavingNotBetween',
  'orHavingNotBetween',
  'offset', 'limit', 'count', 'countDistinct', 'min', 'max', 'sum', 'sumDistinct', 'avg', 'avgDistinct', 'rank',
  'denseRank', 'rowNumber', 'first', 'pluck',
  'clear', 'clearSelect', 'clearWhere', 'clearGroup', 'clearOrder', 'clearHaving', 'clearCounters',
  'insert', 'update', 'updateFrom', 'upsert', 'returning', 'del', 'delete', 'truncate', 'increment', 'decrement',
  'onConflict', 'merge', 'ignore',
  'forUpdate', 'forShare', 'forNoKeyUpdate', 'forKeyShare', 'skipLocked', 'noWait', 'using', 'modify', 'hintComment',
  'comment',
]);

/** `knex.fn.<name>()` (`knex.ref` is a method of knex itself and handled on its own). */
export const FN_METHODS: ReadonlySet<string> = new Set(['now', 'uuid', 'uuidToBin', 'binToUuid']);

const LISTS: Record<KnexBuilderKind, ReadonlySet<string>> = {
  schema: SCHEMA_BUILDER_METHODS,
  table: TABLE_BUILDER_METHODS,
  column: COLUMN_BUILDER_METHODS,
  query: QUERY_BUILDER_METHODS,
  fn: FN_METHODS,
};

/** Names of `Object.prototype` and `Function.prototype`, and the other names that reach them. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  'constructor', 'prototype', '__proto__', '__lookupGetter__', '__lookupSetter__', '__defineGetter__', '__defineSetter__',
  'call', 'apply', 'bind', 'toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf',
  'propertyIsEnumerable', 'caller', 'callee', 'arguments',
]);

/** Is `name` a method of Knex's `kind` builder that migralint may replay? */
export function isKnexApi(kind: KnexBuilderKind, name: string): boolean {
  return typeof name === 'string' && !FORBIDDEN_NAMES.has(name) && LISTS[kind].has(name);
}

const FORBIDDEN_FUNCTIONS: ReadonlySet<unknown> = new Set(
  [Object.prototype, Function.prototype].flatMap((p) =>
    Object.getOwnPropertyNames(p).map((n) => Object.getOwnPropertyDescriptor(p, n)?.value).filter((v) => typeof v === 'function'),
  ),
);

/**
 * The method `name` of a real Knex builder `target`, or undefined. `name` must be on the list of
 * `kind`; the property is read as a data property only (getters are never run) and must not be a
 * function inherited from `Object.prototype` / `Function.prototype`, nor `Function` itself.
 */
export function knexMethodOf(kind: KnexBuilderKind, target: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (!isKnexApi(kind, name)) return undefined;
  for (let o: object | null = target; o !== null && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (!d) continue;
    if (!('value' in d)) return undefined;
    const fn: unknown = d.value;
    if (typeof fn !== 'function' || FORBIDDEN_FUNCTIONS.has(fn) || fn === Function || fn === Object) return undefined;
    return fn as (...args: unknown[]) => unknown;
  }
  return undefined;
}
