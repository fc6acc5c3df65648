import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { AdminPrincipal } from './admin-principal.js';
import { AdminUsersService } from './admin-users.service.js';
import { TokenDto } from './dto/login.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: AdminUsersService,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, clientIp: string): Promise<TokenDto> {
    await this.throttle.assertAllowed(username, clientIp);
    const user = await this.users.verify(username, password);
    if (!user) {
      await this.throttle.recordFailure(username, clientIp);
      throw new UnauthorizedException('Invalid username or password');
    }
    await this.throttle.recordSuccess(username);
    const principal: AdminPrincipal = { sub: user.id, username: user.username };
    return {
      access_token: await this.jwt.signAsync(principal),
      token_type: 'Bearer',
      expires_in: this.config.jwt.expiresInSeconds,
    };
  }
}
