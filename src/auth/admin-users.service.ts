import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { compare, hash, hashSync } from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { AdminUser } from './admin-user.entity.js';

const BCRYPT_COST = 11;
// Compared against when the username is unknown, so timing does not reveal which names exist.
let dummyHash: string | undefined;

/**
 * The admin account. `ADMIN_PASSWORD` sets it; without one, a strong password is generated on the
 * first start, printed once, and only its bcrypt hash is stored and reused later.
 */
@Injectable()
export class AdminUsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminUsersService.name);
  /** The password generated at this start, until the start-up banner takes it: never logged. */
  private generatedPassword?: string;

  constructor(
    @InjectRepository(AdminUser) private readonly users: Repository<AdminUser>,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  async ensureAdmin(): Promise<void> {
    const { username, password } = this.config.admin;
    const existing = await this.users.findOneBy({ username });
    if (password) {
      if (existing && (await compare(password, existing.passwordHash))) return;
      await this.users.save({ ...existing, username, passwordHash: await hash(password, BCRYPT_COST) });
      this.logger.log(`Admin user "${username}" password set from configuration`);
      return;
    }
    if (existing) return;
    const generated = randomBytes(18).toString('base64url');
    await this.users.save({ username, passwordHash: await hash(generated, BCRYPT_COST) });
    this.generatedPassword = generated;
  }

  /** The password generated at this start, once: the start-up banner shows it on the console. */
  takeGeneratedPassword(): string | undefined {
    const password = this.generatedPassword;
    this.generatedPassword = undefined;
    return password;
  }

  async verify(username: string, password: string): Promise<AdminUser | undefined> {
    const user = await this.users.findOneBy({ username });
    const matches = await compare(
      password,
      user?.passwordHash ?? (dummyHash ??= hashSync('not-a-password', BCRYPT_COST)),
    );
    return user && matches ? user : undefined;
  }

  async findById(id: number): Promise<AdminUser | null> {
    return this.users.findOneBy({ id });
  }
}
