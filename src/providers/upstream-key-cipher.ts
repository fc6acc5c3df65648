import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { decryptSecret, encryptSecret, SealedSecret } from '../common/crypto.js';
import { maskSecret } from '../common/masking.js';
import type { ProviderGroup } from './provider-group.entity.js';
import { UpstreamKey } from './upstream-key.entity.js';

const KEY_PURPOSE = 'upstream-key';
const HEADERS_PURPOSE = 'group-headers';

/**
 * The secret of a keyless group's one key slot (a local model server that needs no key): the slot
 * lets breakers, health checks and logs work as for any key; no credential header is sent.
 */
export const NO_KEY_SECRET = '';
const NO_KEY_HINT = '(no key)';

export type SealedUpstreamKey = Pick<UpstreamKey, 'ciphertext' | 'iv' | 'authTag' | 'hint'>;

/** Upstream credentials at rest (keys, group headers): sealed with ENCRYPTION_KEY, opened only to route, show masked or compare. */
@Injectable()
export class UpstreamKeyCipher {
  private readonly logger = new Logger(UpstreamKeyCipher.name);
  private readonly reported = new Set<string>();

  constructor(private readonly config: AppConfig) {}

  seal(secret: string): SealedUpstreamKey {
    const hint = secret === NO_KEY_SECRET ? NO_KEY_HINT : maskSecret(secret);
    return { ...encryptSecret(this.config.encryptionKey, secret, KEY_PURPOSE), hint };
  }

  /** The secret, or undefined when the stored value does not decrypt (warned once per value). */
  open(key: Pick<UpstreamKey, 'id' | 'groupId' | 'ciphertext' | 'iv' | 'authTag'>): string | undefined {
    try {
      return decryptSecret(this.config.encryptionKey, key, KEY_PURPOSE);
    } catch {
      this.warnOnce(
        `key:${key.id}:${key.iv}:${key.authTag}`,
        `Upstream key #${key.id} of group #${key.groupId} cannot be decrypted; it is unusable until replaced`,
      );
      return undefined;
    }
  }

  sealHeaders(headers: Record<string, string>): string | null {
    return Object.keys(headers).length === 0
      ? null
      : JSON.stringify(encryptSecret(this.config.encryptionKey, JSON.stringify(headers), HEADERS_PURPOSE));
  }

  /** The group's headers, or none (warned once) when they do not decrypt. */
  openHeaders(group: Pick<ProviderGroup, 'id' | 'sealedHeaders'>): Record<string, string> {
    if (!group.sealedHeaders) return {};
    try {
      return JSON.parse(
        decryptSecret(
          this.config.encryptionKey,
          JSON.parse(group.sealedHeaders) as SealedSecret,
          HEADERS_PURPOSE,
        ),
      ) as Record<string, string>;
    } catch {
      this.warnOnce(
        `headers:${group.id}:${group.sealedHeaders}`,
        `Headers of group #${group.id} cannot be decrypted; requests go without them until they are set again`,
      );
      return {};
    }
  }

  private warnOnce(id: string, message: string): void {
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.logger.warn(message);
  }
}
