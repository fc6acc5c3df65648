// Raw SQL (upserts, aggregates) bypasses TypeORM's value conversion, so both engines get the
// same text form TypeORM itself writes for `datetime` on SQLite: UTC `YYYY-MM-DD HH:MM:SS.mmm`.
// SQLite compares these strings in time order; MySQL parses them as UTC (the pool's timezone 'Z').

export function toDbDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** mysql2 returns a Date, SQLite the text above. */
export function fromDbDateTime(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}

/** MySQL returns SUM() and BIGINT as strings; NULL (an empty SUM) counts as 0. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
