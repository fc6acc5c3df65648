import { FactoryProvider, Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decryptSecret, encryptSecret, SealedSecret } from '../common/crypto.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { Setting } from '../settings/setting.entity.js';

const VERIFIER_KEY = 'encryption.verifier';
const PURPOSE = 'verifier';
const KNOWN_PLAINTEXT = 'switchyard-encryption-verifier-v1';
const logger = new Logger('EncryptionKeyVerifier');

/**
 * Refuses to start with an ENCRYPTION_KEY other than the one the stored upstream keys were
 * written with: a known value is encrypted on the first start and must decrypt on every later one.
 * Without this a changed key would silently turn every upstream key unusable.
 *
 * A provider factory, so it runs while providers are created: before any module starts timers
 * or connections of its own. Nest does not close what it already opened when start-up fails, so
 * on refusal the database connection (the only thing open this early) is closed here.
 */
export const ENCRYPTION_KEY_VERIFIER: FactoryProvider<boolean> = {
  provide: 'ENCRYPTION_KEY_VERIFIED',
  inject: [getDataSourceToken(), AppConfig],
  useFactory: async (dataSource: DataSource, config: AppConfig) => {
    try {
      await verifyEncryptionKey(dataSource, config.encryptionKey);
      return true;
    } catch (error) {
      if (error instanceof ConfigError) await dataSource.destroy().catch(() => undefined);
      throw error;
    }
  },
};

export async function verifyEncryptionKey(dataSource: DataSource, key: Buffer): Promise<void> {
  const settings = dataSource.getRepository(Setting);
  const stored = await settings.findOneBy({ key: VERIFIER_KEY });
  if (stored) return assertDecrypts(stored.value, key);
  try {
    await settings.insert({
      key: VERIFIER_KEY,
      value: JSON.stringify(encryptSecret(key, KNOWN_PLAINTEXT, PURPOSE)),
    });
    logger.log('Encryption key verifier recorded');
  } catch (error) {
    // Another replica recorded it first: check against theirs.
    const raced = await settings.findOneBy({ key: VERIFIER_KEY });
    if (!raced) throw error;
    assertDecrypts(raced.value, key);
  }
}

function assertDecrypts(value: string, key: Buffer): void {
  try {
    if (decryptSecret(key, JSON.parse(value) as SealedSecret, PURPOSE) === KNOWN_PLAINTEXT) return;
  } catch {
    // Falls through to the refusal below.
  }
  throw new ConfigError([
    'ENCRYPTION_KEY does not match the key this database was written with, so its upstream keys cannot be decrypted; ' +
      'start with the original ENCRYPTION_KEY (or the secrets.json of the data directory it was generated in)',
  ]);
}
