import { CreateAdminUsers1763769600000 } from './1763769600000-create-admin-users.js';

/** Every migration in order; they run at start on SQLite and MySQL alike. */
export const MIGRATIONS = [CreateAdminUsers1763769600000];
