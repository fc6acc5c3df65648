import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { AdminPrincipal } from './admin-principal.js';
import { IS_PUBLIC } from './public.decorator.js';

const PROTECTED_PREFIXES = ['/admin', '/api'];

/**
 * Global guard: every route under `/admin` or `/api` needs a valid admin JWT (HS256 only),
 * except the ones marked `@Public()`. Other surfaces (`/health`, `/metrics`, `/v1`) have their
 * own rules.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & { admin?: AdminPrincipal }>();
    if (!isProtectedPath(req.path)) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return true;

    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token');
    try {
      req.admin = this.jwt.verify<AdminPrincipal>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('Invalid or expired token');
    }
    return true;
  }
}

export function isProtectedPath(path: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
