import { AdminUser } from '../auth/admin-user.entity.js';

/** Every TypeORM entity, for the app and the migration CLI alike. One line per entity. */
export const ENTITIES = [
  AdminUser,
];
