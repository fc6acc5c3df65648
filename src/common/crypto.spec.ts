import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret } from './crypto.js';

describe('encryptSecret / decryptSecret', () => {
  const key = randomBytes(32);
  const secret = 'sk-test-0123456789abcdefghij';

  it('round-trips a value', () => {
    expect(decryptSecret(key, encryptSecret(key, secret, 'upstream-key'), 'upstream-key')).toBe(secret);
  });

  it('uses a fresh IV per value, so equal plaintexts differ at rest', () => {
    const a = encryptSecret(key, secret, 'upstream-key');
    const b = encryptSecret(key, secret, 'upstream-key');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
  });

  it('never stores the plaintext', () => {
    const sealed = encryptSecret(key, secret, 'upstream-key');
    expect(JSON.stringify(sealed)).not.toContain(secret);
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain(secret);
  });

  it.each(['ciphertext', 'iv', 'authTag'] as const)('detects a tampered %s', (part) => {
    const sealed = encryptSecret(key, secret, 'upstream-key');
    expect(() =>
      decryptSecret(key, { ...sealed, [part]: flipFirstByte(sealed[part]) }, 'upstream-key'),
    ).toThrow();
  });

  it('refuses a different key', () => {
    const sealed = encryptSecret(key, secret, 'upstream-key');
    expect(() => decryptSecret(randomBytes(32), sealed, 'upstream-key')).toThrow();
  });

  it('refuses a value sealed for another purpose', () => {
    const sealed = encryptSecret(key, secret, 'upstream-key');
    expect(() => decryptSecret(key, sealed, 'verifier')).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => encryptSecret(randomBytes(16), secret, 'upstream-key')).toThrow('32 bytes');
  });
});

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 0xff;
  return bytes.toString('base64');
}
