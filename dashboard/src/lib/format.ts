// Pure formatting for the pages: numbers, durations, dates. Missing values print as an en dash.

export const DASH = '–';

export function fmtInt(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : Math.round(value).toLocaleString('en-US');
}

/** 12 345 678 → 12.3M. */
export function fmtCompact(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** 0..1 → 99.5 %. */
export function fmtRate(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return `${(value * 100).toFixed(value >= 0.999 || value === 0 ? 0 : 1)} %`;
}

export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** Two durations that share a unit say it once: "66 / 82 ms" (fits a status card on one line). */
export function fmtMsPair(a: number | null | undefined, b: number | null | undefined): string {
  const [x, y] = [fmtMs(a), fmtMs(b)];
  return x.endsWith(' ms') && y.endsWith(' ms') ? `${x.slice(0, -3)} / ${y}` : `${x} / ${y}`;
}

export function fmtBytes(value: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** 93784 s → "1 d 2 h". */
export function fmtUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${Math.floor(seconds)} s`;
}

/** Time left until `at` as "1:05" (m:ss) or "2 h 3 min"; "now" once passed. */
export function fmtCountdown(at: string | number, now = Date.now()): string {
  const ms = (typeof at === 'number' ? at : Date.parse(at)) - now;
  if (!Number.isFinite(ms) || ms <= 0) return 'now';
  const total = Math.ceil(ms / 1000);
  if (total >= 3600) return `${Math.floor(total / 3600)} h ${Math.floor((total % 3600) / 60)} min`;
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? DASH
    : date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  return `${date.toLocaleDateString('en-CA')} ${date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}

/** "3 min ago". */
export function fmtAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return DASH;
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export function statusClass(status: number): 'ok' | 'warn' | 'bad' {
  if (status < 400) return 'ok';
  return status < 500 && status !== 499 ? 'warn' : 'bad';
}
