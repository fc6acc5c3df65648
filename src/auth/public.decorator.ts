import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'switchyard:public';

/**
 * Lets a route (or every route of a controller) through the global admin guard. Public routes are
 * the login, the health probes and `/metrics` (which checks its own token); nothing else.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
