import { CreateAdminUsers1763769600000 } from './1763769600000-create-admin-users.js';

/**
 * Every migration; they run at start on SQLite and MySQL alike, ordered by the timestamp in
 * their names. One line per migration.
 */
export const MIGRATIONS = [
  CreateAdminUsers1763769600000,
];
