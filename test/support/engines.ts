import { DbType } from '../../src/config/app-config.js';

/**
 * The database engines every e2e suite runs on. MySQL (MariaDB at 127.0.0.1:3306) is mandatory
 * under CI (global-setup fails the run when it is unreachable); on a developer machine without
 * it the MySQL half is skipped with a notice.
 */
export const ENGINES: DbType[] =
  process.env.SWITCHYARD_TEST_MYSQL === 'off' ? ['sqlite'] : ['sqlite', 'mysql'];

/** `describe` once per engine: `describeEachEngine('groups', (engine) => { … })`. */
export function describeEachEngine(title: string, body: (engine: DbType) => void): void {
  describe.each(ENGINES)(`${title} [%s]`, (engine) => body(engine));
}
