import { isIP } from 'node:net';
import type { TrustProxy } from '../common/client-ip.js';

export type { TrustProxy };

const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `false`, `2`, `loopback, 10.0.0.0/8, ::1` → a TrustProxy; undefined when anything is invalid. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'false' || value === 'none') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 32 ? hops : undefined;
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0 || !entries.every(isTrustEntry)) return undefined;
  return entries;
}

function isTrustEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}
