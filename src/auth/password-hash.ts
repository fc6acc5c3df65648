import { compare as bcryptCompare } from 'bcryptjs';
import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

// scrypt runs on libuv's thread pool, so a burst of logins never stalls the event loop (and `/v1`).
const SCRYPT_PREFIX = 'scrypt';
// 128·N·r = 32 MiB of work memory per hash. Just past glibc's largest mmap threshold (32 MiB), so
// it is always mmapped and given back when the hash is done; at N = 16384 (16 MiB) glibc kept each
// pool thread's block in its arena and a few logins added 16–64 MB to the gateway's resident memory.
const COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_MEMORY = 64 * 1024 * 1024;

export type PasswordCheck = 'match' | 'match-legacy' | 'mismatch';

/** `scrypt$N$r$p$salt$key` (base64url), under 100 characters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, COST);
  return [SCRYPT_PREFIX, COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/**
 * Checks a password against a stored hash. bcrypt hashes from earlier versions still verify (on
 * the main thread, so the caller replaces them with scrypt at once: `match-legacy`).
 */
export async function checkPassword(password: string, stored: string): Promise<PasswordCheck> {
  if (stored.startsWith('$2')) return (await bcryptCompare(password, stored)) ? 'match-legacy' : 'mismatch';
  const [prefix, n, r, p, salt, key] = stored.split('$');
  if (prefix !== SCRYPT_PREFIX || key === undefined) return 'mismatch';
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected) ? 'match' : 'mismatch';
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { ...cost, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
