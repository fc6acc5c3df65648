import { hashSync } from 'bcryptjs';
import { scryptSync } from 'node:crypto';
import { checkPassword, hashPassword } from './password-hash.js';

describe(checkPassword.name, () => {
  it('verifies its own scrypt hashes, which fit the 100-character column', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.length).toBeLessThanOrEqual(100);
    await expect(checkPassword('correct horse battery staple', stored)).resolves.toBe('match');
    await expect(checkPassword('correct horse battery stapler', stored)).resolves.toBe('mismatch');
  });

  it('verifies a scrypt hash stored with another cost (the parameters travel in the hash)', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('earlier-password', salt, 32, { N: 16384, r: 8, p: 1 });
    const stored = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    await expect(checkPassword('earlier-password', stored)).resolves.toBe('match');
    await expect(checkPassword('other', stored)).resolves.toBe('mismatch');
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('still verifies a bcrypt hash from an earlier version, flagged for an upgrade', async () => {
    const legacy = hashSync('old-password', 4);
    await expect(checkPassword('old-password', legacy)).resolves.toBe('match-legacy');
    await expect(checkPassword('other', legacy)).resolves.toBe('mismatch');
  });

  it('treats an unknown or damaged hash as a mismatch', async () => {
    await expect(checkPassword('x', 'plain-text')).resolves.toBe('mismatch');
    await expect(checkPassword('x', 'scrypt$16384$8')).resolves.toBe('mismatch');
  });
});
