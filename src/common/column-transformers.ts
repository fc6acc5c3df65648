import { ValueTransformer } from 'typeorm';

// Portable column mappings: JSON kept in `text` (both engines) and `bigint`, which the MySQL
// driver returns as a string.

export function jsonColumn<T>(fallback: T): ValueTransformer {
  return {
    to: (value: T | null | undefined) =>
      value === undefined ? undefined : value === null ? null : JSON.stringify(value),
    from: (stored: string | null) =>
      stored === null || stored === undefined ? structuredClone(fallback) : (JSON.parse(stored) as T),
  };
}

export const bigintColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (stored: string | number | null) => (stored === null || stored === undefined ? null : Number(stored)),
};
