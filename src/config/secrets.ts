import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, ParsedConfig } from './app-config.js';
import { ConfigError } from './config-error.js';

const MIN_JWT_SECRET_LENGTH = 32;
const SECRETS_FILE = 'secrets.json';

interface StoredSecrets {
  jwtSecret?: string;
  encryptionKey?: string;
}

/**
 * Fills in `JWT_SECRET` and `ENCRYPTION_KEY`. Outside production a missing value is generated
 * once and kept in `<dataDir>/secrets.json` (mode 0600), so tokens and encrypted keys survive
 * restarts; in production a missing or weak value stops start-up, naming the variable.
 */
export function resolveSecrets(parsed: ParsedConfig): AppConfig {
  const problems: string[] = [];
  const needsStore = !parsed.jwt.secret || !parsed.encryptionKeyText;
  if (parsed.production) {
    if (!parsed.jwt.secret || parsed.jwt.secret.length < MIN_JWT_SECRET_LENGTH)
      problems.push(
        `JWT_SECRET must be set to at least ${MIN_JWT_SECRET_LENGTH} characters when NODE_ENV=production`,
      );
    if (!parsed.encryptionKeyText)
      problems.push('ENCRYPTION_KEY must be set (32 bytes, base64 or hex) when NODE_ENV=production');
  }
  if (parsed.encryptionKeyText && !decodeKey(parsed.encryptionKeyText))
    problems.push('ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64');
  if (problems.length > 0) throw new ConfigError(problems);

  const stored: StoredSecrets = needsStore ? loadOrCreateStore(parsed.dataDir) : {};
  const { encryptionKeyText, ...rest } = parsed;
  return Object.assign(new AppConfig(), rest, {
    jwt: { ...parsed.jwt, secret: parsed.jwt.secret ?? stored.jwtSecret },
    encryptionKey: decodeKey(encryptionKeyText ?? stored.encryptionKey ?? '') as Buffer,
  });
}

/** 64 hex characters or base64 of exactly 32 bytes. */
export function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

function loadOrCreateStore(dataDir: string): Required<StoredSecrets> {
  const file = join(dataDir, SECRETS_FILE);
  const stored: StoredSecrets = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets)
    : {};
  const complete = {
    jwtSecret: stored.jwtSecret ?? randomBytes(48).toString('base64url'),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
  };
  if (stored.jwtSecret !== complete.jwtSecret || stored.encryptionKey !== complete.encryptionKey) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(complete, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return complete;
}
