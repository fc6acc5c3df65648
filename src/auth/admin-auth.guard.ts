import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { AdminPrincipal } from './admin-principal.js';
import { AdminTokenVersions } from './admin-token-versions.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Global guard, deny by default: every Nest route needs a valid admin JWT (HS256 only) unless its
 * handler or controller is marked `@Public()`. The decision rests on the route that matched, never
 * on how the client spelled the path (Express matched `/ADMIN/…` to `/admin/…` once). A token
 * issued before the admin's last password change is refused (its version is older).
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    private readonly versions: AdminTokenVersions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return true;
    const req = context.switchToHttp().getRequest<Request & { admin?: AdminPrincipal }>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token');
    let principal: AdminPrincipal;
    try {
      principal = this.jwt.verify<AdminPrincipal>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('Invalid or expired token');
    }
    const current = Number.isInteger(principal.sub) ? await this.versions.current(principal.sub) : undefined;
    if (current === undefined || (principal.ver ?? 0) !== current)
      throw new UnauthorizedException('Token has been revoked; log in again');
    req.admin = principal;
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
