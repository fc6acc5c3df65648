import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AppConfig } from '../config/app-config.js';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { AdminTokenVersions } from './admin-token-versions.js';
import { AdminUser } from './admin-user.entity.js';
import { AdminUsersService } from './admin-users.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LOGIN_LIMITERS, loginLimiters } from './login-limiters.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { LoginThrottleService } from './login-throttle.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([AdminUser]),
    AuditModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: { algorithm: 'HS256', expiresIn: config.jwt.expiresInSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AdminUsersService,
    AdminTokenVersions,
    AuthService,
    LoginThrottleService,
    {
      provide: LOGIN_LIMITERS,
      useFactory: (redis: RedisConnection) => loginLimiters(redis.client, (name) => redis.key(name)),
      inject: [RedisConnection],
    },
    { provide: APP_GUARD, useClass: AdminAuthGuard },
  ],
  exports: [AdminUsersService],
})
export class AuthModule {}
