import { TableColumnOptions } from 'typeorm';

// Column builders for migrations written once for SQLite and MySQL: only types both engines
// understand the same way (TypeORM maps `boolean` to tinyint on MySQL and integer on SQLite).

export const id = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const varchar = (
  name: string,
  length: number,
  extra: Partial<TableColumnOptions> = {},
): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});

export const integer = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'integer',
  ...extra,
});

export const bigint = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'bigint',
  ...extra,
});

export const double = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'double',
  ...extra,
});

export const bool = (name: string, defaultValue: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  default: defaultValue ? 1 : 0,
});

export const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: true,
  ...extra,
});

export const datetime = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'datetime',
  ...extra,
});

export const timestamps = (): TableColumnOptions[] => [
  datetime('created_at', { default: 'CURRENT_TIMESTAMP' }),
  datetime('updated_at', { default: 'CURRENT_TIMESTAMP' }),
];
