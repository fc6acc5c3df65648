import 'reflect-metadata';
import { DataSource, MigrationExecutor } from 'typeorm';
import { parseConfig } from '../config/parse-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';

// `switchyard migrate | migration:show | migration:revert`: the schema commands, from the compiled
// code (no TypeScript toolchain needed, e.g. in the Docker image). The gateway also applies
// pending migrations itself at start; these are for doing it beforehand, looking, or undoing one.

export type MigrationCommand = 'migrate' | 'migration:show' | 'migration:revert';
export const MIGRATION_COMMANDS: readonly MigrationCommand[] = [
  'migrate',
  'migration:show',
  'migration:revert',
];

/** Runs one migration command against the configured database; returns what to print. */
export async function runMigrationCommand(
  command: MigrationCommand,
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const dataSource = new DataSource({
    ...dataSourceOptions(parseConfig(env).database),
    migrationsRun: false,
  });
  await dataSource.initialize();
  try {
    if (command === 'migrate') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.length === 0
        ? 'No pending migrations.\n'
        : applied.map((migration) => `Applied ${migration.name}\n`).join('');
    }
    if (command === 'migration:revert') {
      const executor = new MigrationExecutor(dataSource);
      const [last] = (await executor.getExecutedMigrations()).sort((a, b) => b.timestamp - a.timestamp);
      if (!last) return 'No migration to revert.\n';
      await dataSource.undoLastMigration({ transaction: 'each' });
      return `Reverted ${last.name}\n`;
    }
    const executor = new MigrationExecutor(dataSource);
    const executed = new Set((await executor.getExecutedMigrations()).map((migration) => migration.name));
    const all = await executor.getAllMigrations();
    const pending = all.filter((migration) => !executed.has(migration.name)).length;
    const lines = all.map((migration) => `[${executed.has(migration.name) ? 'X' : ' '}] ${migration.name}`);
    return `${lines.join('\n')}\n${pending} pending\n`;
  } finally {
    await dataSource.destroy();
  }
}
