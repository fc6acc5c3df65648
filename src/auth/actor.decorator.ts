import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { AdminPrincipal } from './admin-principal.js';

/**
 * The audit actor: the username of the admin JWT the global guard verified. A route without one
 * is refused rather than recorded under a made-up actor.
 */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const req = context.switchToHttp().getRequest<{ admin?: AdminPrincipal }>();
  if (!req.admin) throw new UnauthorizedException('Missing bearer token');
  return req.admin.username;
});
