import { Injectable } from '@nestjs/common';
import { AdminError } from '../common/admin-error.js';
import { JwtService } from '@nestjs/jwt';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { AdminPrincipal } from './admin-principal.js';
import { AdminUser } from './admin-user.entity.js';
import { AdminUsersService } from './admin-users.service.js';
import { TokenDto } from './dto/login.dto.js';
import { LoginAttempt, LoginThrottleService } from './login-throttle.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: AdminUsersService,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, clientIp: string): Promise<TokenDto> {
    const user = await this.checkThrottled(username, password, clientIp);
    if (!user) throw new AdminError('unauthorized', 'Invalid username or password');
    return this.tokenFor(user);
  }

  /**
   * Checks the current password (throttled like a login), stores the new one and revokes every
   * token issued before, the caller's included; the answer is a fresh token.
   */
  async changePassword(
    admin: AdminPrincipal,
    currentPassword: string,
    newPassword: string,
    clientIp: string,
  ): Promise<TokenDto> {
    if (newPassword === currentPassword)
      throw new AdminError('invalid', 'newPassword must differ from the current password');
    const user = await this.checkThrottled(admin.username, currentPassword, clientIp);
    if (!user || user.id !== admin.sub)
      throw new AdminError('forbidden', 'The current password is not correct');
    const changed = await this.audit.transaction(async (manager) => {
      const saved = await this.users.changePassword(manager, user, newPassword);
      await this.audit.record(manager, {
        actor: admin.username,
        action: 'update',
        entity: 'admin_password',
        entityId: user.id,
      });
      return saved;
    });
    this.users.revokeOlderTokens(changed);
    return this.tokenFor(changed);
  }

  private async checkThrottled(
    username: string,
    password: string,
    clientIp: string,
  ): Promise<AdminUser | undefined> {
    const attempt: LoginAttempt = await this.throttle.begin(username, clientIp);
    let user: AdminUser | undefined;
    try {
      user = await this.users.verify(username, password);
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    if (user) await attempt.succeeded();
    return user;
  }

  private async tokenFor(user: AdminUser): Promise<TokenDto> {
    const principal: AdminPrincipal = { sub: user.id, username: user.username, ver: user.tokenVersion };
    return {
      access_token: await this.jwt.signAsync(principal),
      token_type: 'Bearer',
      expires_in: this.config.jwt.expiresInSeconds,
    };
  }
}
