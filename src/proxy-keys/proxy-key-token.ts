import { createHash, randomInt } from 'node:crypto';

// Proxy keys: `sk-sy-` + 40 base62 characters (~238 bits), drawn with crypto.randomInt so every
// character is uniform. Only the SHA-256 is stored: a fast hash is enough for a random secret of
// this length, and lets the guard look a key up in memory per request.

export const PROXY_KEY_PREFIX = 'sk-sy-';
const RANDOM_LENGTH = 40;
const VISIBLE_RANDOM = 4;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function generateProxyKey(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i += 1) random += BASE62[randomInt(BASE62.length)];
  return `${PROXY_KEY_PREFIX}${random}`;
}

/** SHA-256 hex of the key as presented: what `proxyKeysByHash` is keyed by. */
export function hashProxyKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Stored beside the hash so admins can tell keys apart, e.g. `sk-sy-AbCd`. */
export function proxyKeyPrefix(key: string): string {
  return key.slice(0, PROXY_KEY_PREFIX.length + VISIBLE_RANDOM);
}
