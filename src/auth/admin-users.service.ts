import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { withStartupLock } from '../database/startup-lock.js';
import { AdminTokenVersions } from './admin-token-versions.js';
import { AdminUser } from './admin-user.entity.js';
import { checkPassword, hashPassword } from './password-hash.js';
import {
  MAX_CONCURRENT_VERIFICATIONS,
  MAX_WAITING_VERIFICATIONS,
  VerificationGate,
} from './verification-gate.js';

/**
 * The admin account. `ADMIN_PASSWORD` sets it; without one, a strong password is generated on the
 * first start, printed once, and only its hash is stored and reused later. A password set or
 * changed revokes the tokens issued before (the token version goes up).
 */
@Injectable()
export class AdminUsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminUsersService.name);
  private readonly gate = new VerificationGate(MAX_CONCURRENT_VERIFICATIONS, MAX_WAITING_VERIFICATIONS);
  // Compared against when the username is unknown, so timing does not reveal which names exist.
  private dummyHash?: Promise<string>;
  /** The password generated at this start, until the start-up banner takes it: never logged. */
  private generatedPassword?: string;

  constructor(
    @InjectRepository(AdminUser) private readonly users: Repository<AdminUser>,
    private readonly versions: AdminTokenVersions,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // Replicas starting together on an empty database take turns: the first creates the admin, the
  // others find it (instead of a second generated password, or a duplicate-key failure).
  async onApplicationBootstrap(): Promise<void> {
    await withStartupLock(this.dataSource, 'admin-user', () => this.ensureAdmin());
  }

  async ensureAdmin(): Promise<void> {
    const { username, password } = this.config.admin;
    const existing = await this.users.findOneBy({ username });
    if (password) {
      const check = existing ? await checkPassword(password, existing.passwordHash) : 'mismatch';
      if (existing && check === 'match') return;
      if (existing && check === 'match-legacy') return this.upgradeHash(existing, password);
      const tokenVersion = existing ? existing.tokenVersion + 1 : 0;
      const saved = await this.users.save({
        ...existing,
        username,
        passwordHash: await hashPassword(password),
        tokenVersion,
      });
      this.versions.revoked(saved.id, tokenVersion);
      this.logger.log(`Admin user "${username}" password set from configuration; older tokens revoked`);
      return;
    }
    if (existing) return;
    const generated = randomBytes(18).toString('base64url');
    await this.users.save({ username, passwordHash: await hashPassword(generated), tokenVersion: 0 });
    this.generatedPassword = generated;
  }

  /** The password generated at this start, once: the start-up banner shows it on the console. */
  takeGeneratedPassword(): string | undefined {
    const password = this.generatedPassword;
    this.generatedPassword = undefined;
    return password;
  }

  /** The admin with this username and password; undefined otherwise (or 503 when too busy). */
  async verify(username: string, password: string): Promise<AdminUser | undefined> {
    return this.gate.run(async () => {
      const user = await this.users.findOneBy({ username });
      const check = await checkPassword(password, user?.passwordHash ?? (await this.dummy()));
      if (!user || check === 'mismatch') return undefined;
      if (check === 'match-legacy') await this.upgradeHash(user, password);
      return user;
    });
  }

  /** Stores a new password and bumps the token version, inside the caller's (audited) transaction. */
  async changePassword(manager: EntityManager, user: AdminUser, password: string): Promise<AdminUser> {
    const passwordHash = await hashPassword(password);
    const saved = await manager
      .getRepository(AdminUser)
      .save({ ...user, passwordHash, tokenVersion: user.tokenVersion + 1 });
    return saved;
  }

  /** After the change's transaction committed: the guard refuses older tokens from now on. */
  revokeOlderTokens(user: AdminUser): void {
    this.versions.revoked(user.id, user.tokenVersion);
  }

  async findById(id: number): Promise<AdminUser | null> {
    return this.users.findOneBy({ id });
  }

  // A bcrypt hash from an earlier version verifies once on the main thread, then becomes scrypt.
  private async upgradeHash(user: AdminUser, password: string): Promise<void> {
    user.passwordHash = await hashPassword(password);
    await this.users.update({ id: user.id }, { passwordHash: user.passwordHash });
    this.logger.log(`Admin user "${user.username}" password hash upgraded to scrypt`);
  }

  private dummy(): Promise<string> {
    return (this.dummyHash ??= hashPassword(randomBytes(18).toString('base64url')));
  }
}
