import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AdminPrincipal } from '../auth/admin-principal.js';

/** The audit actor: the username of the admin JWT the global guard verified. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const req = context.switchToHttp().getRequest<{ admin?: AdminPrincipal }>();
  return req.admin?.username ?? 'system';
});
