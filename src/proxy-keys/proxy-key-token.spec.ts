import { createHash } from 'node:crypto';
import { generateProxyKey, hashProxyKey, proxyKeyPrefix } from './proxy-key-token.js';

describe('generateProxyKey', () => {
  it('is sk-sy- followed by 40 base62 characters, different every time', () => {
    const keys = Array.from({ length: 50 }, generateProxyKey);
    for (const key of keys) expect(key).toMatch(/^sk-sy-[0-9A-Za-z]{40}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('draws every base62 character (no bias towards part of the alphabet)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i += 1)
      for (const char of generateProxyKey().slice(6)) counts.set(char, (counts.get(char) ?? 0) + 1);
    // 16,000 draws over 62 symbols: about 258 each; a modulo-biased or truncated alphabet shows here.
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(count).toBeGreaterThan(150);
  });
});

describe('hashProxyKey', () => {
  it('is the SHA-256 hex of the key', () => {
    const key = 'sk-sy-example';
    expect(hashProxyKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashProxyKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('proxyKeyPrefix', () => {
  it('keeps sk-sy- and four characters', () => {
    expect(proxyKeyPrefix('sk-sy-AbCdEfGh')).toBe('sk-sy-AbCd');
  });
});
