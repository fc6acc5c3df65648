import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AdminUser } from './admin-user.entity.js';

// Another replica's password change reaches this one within this time (no shared cache yet).
const CACHE_MS = 30_000;

/**
 * Each admin's current token version, kept in memory so the guard checks revocation without a
 * database read per request.
 */
@Injectable()
export class AdminTokenVersions {
  private readonly cache = new Map<number, { version: number; until: number }>();

  constructor(@InjectRepository(AdminUser) private readonly users: Repository<AdminUser>) {}

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

  remember(adminId: number, version: number): void {
    this.cache.set(adminId, { version, until: Date.now() + CACHE_MS });
  }
}
