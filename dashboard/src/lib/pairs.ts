// Name → value records (model map, headers) as the editable rows the form shows.

export type Pairs = Array<[string, string]>;

export const toPairs = (record: Record<string, string> | undefined | null): Pairs =>
  Object.entries(record ?? {});

/** Rows without a name are left out; names are trimmed, values kept as typed. */
export const fromPairs = (pairs: Pairs): Record<string, string> =>
  Object.fromEntries(pairs.filter(([key]) => key.trim() !== '').map(([key, value]) => [key.trim(), value]));
