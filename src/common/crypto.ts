import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM for secrets at rest (upstream keys). A fresh 12-byte IV per value; the auth tag
// makes any change to the stored bytes, or a different key, fail loudly instead of decrypting
// to garbage.

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/** Base64 parts of one encrypted value, stored side by side. */
export interface SealedSecret {
  readonly ciphertext: string;
  readonly iv: string;
  readonly authTag: string;
}

/** `purpose` is bound in as associated data, so a value sealed for one use cannot pass for another. */
export function encryptSecret(key: Buffer, plaintext: string, purpose: string): SealedSecret {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    authTag: cipher.getAuthTag().toString('base64'),
  };
}

/** Throws when the key is wrong or any part was altered. */
export function decryptSecret(key: Buffer, sealed: SealedSecret, purpose: string): string {
  assertKey(key);
  const iv = Buffer.from(sealed.iv, 'base64');
  const authTag = Buffer.from(sealed.authTag, 'base64');
  if (iv.length !== IV_BYTES || authTag.length !== 16) throw new Error('Malformed encrypted value');
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: 16 });
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(authTag);
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`The encryption key must be ${KEY_BYTES} bytes`);
}
