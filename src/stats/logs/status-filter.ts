/** `status` filter of `GET /admin/logs`: an exact code, a class (`4xx`), `error` or `success`. */
export const STATUS_FILTER_PATTERN = /^(?:[1-5]\d\d|[1-5]xx|error|success)$/i;

export interface StatusRange {
  readonly min: number;
  readonly max: number;
}

/** Inclusive status range for a filter; undefined for text the pattern above refuses. */
export function parseStatusFilter(filter: string): StatusRange | undefined {
  const text = filter.trim().toLowerCase();
  if (!STATUS_FILTER_PATTERN.test(text)) return undefined;
  if (text === 'error') return { min: 400, max: 599 };
  if (text === 'success') return { min: 200, max: 399 };
  if (text.endsWith('xx')) {
    const hundreds = Number(text[0]) * 100;
    return { min: hundreds, max: hundreds + 99 };
  }
  const code = Number(text);
  return { min: code, max: code };
}
