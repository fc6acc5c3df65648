import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RedisPubSub } from '../redis/redis-pubsub.service.js';
import { AdminUser } from './admin-user.entity.js';

// Without Redis, another replica's password change reaches this one within this time; with
// Redis, at once.
const CACHE_MS = 5_000;
const REVOKED_CHANNEL = 'admin-tokens-revoked';

/**
 * Each admin's current token version, kept in memory so the guard checks revocation without a
 * database read per request. A revocation is announced to the other replicas, which forget the
 * admin's cached version and read the new one on the next request.
 */
@Injectable()
export class AdminTokenVersions implements OnApplicationBootstrap {
  private readonly cache = new Map<number, { version: number; until: number }>();

  constructor(
    @InjectRepository(AdminUser) private readonly users: Repository<AdminUser>,
    private readonly pubsub: RedisPubSub,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.pubsub.enabled) return;
    this.pubsub.subscribe(REVOKED_CHANNEL, (message) => this.cache.delete(Number(message)));
    // Announcements missed while cut off from Redis: start again from the database.
    this.pubsub.onSubscribed(() => this.cache.clear());
  }

  /** The admin's tokens older than `version` are refused from now on, on every replica. */
  revoked(adminId: number, version: number): void {
    this.remember(adminId, version);
    void this.pubsub.publish(REVOKED_CHANNEL, String(adminId));
  }

  /** Undefined when the admin no longer exists. */
  async current(adminId: number): Promise<number | undefined> {
    const cached = this.cache.get(adminId);
    if (cached && cached.until > Date.now()) return cached.version;
    const user = await this.users.findOne({
      where: { id: adminId },
      select: { id: true, tokenVersion: true },
    });
    if (!user) {
      this.cache.delete(adminId);
      return undefined;
    }
    this.remember(adminId, user.tokenVersion);
    return user.tokenVersion;
  }

  private remember(adminId: number, version: number): void {
    this.cache.set(adminId, { version, until: Date.now() + CACHE_MS });
  }
}
