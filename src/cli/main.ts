#!/usr/bin/env node
import { accessFromEnv, CliError, fetchProvidersHealth } from './gateway-client.js';
import { formatHealthReport, formatStatsReport } from './health-format.js';
import { MIGRATION_COMMANDS, MigrationCommand, runMigrationCommand } from './migrations.js';

// `switchyard <command>` (in the Docker image), `npm run cli -- <command>` or
// `node dist/cli/main.js <command>` from a checkout.

const USAGE = `Usage: switchyard <command>

Commands (a running gateway, through its health API):
  health             each provider group and upstream key: Healthy / Recovering / Unhealthy
  stats              the same, with each one's requests and success rate of the last 24 h

Commands (the database, with the gateway's own DB_TYPE, DB_PATH, DATABASE_URL):
  migrate            apply pending migrations (the gateway also does at start)
  migration:show     list migrations, [X] applied
  migration:revert   undo the most recent migration

Environment:
  SWITCHYARD_URL                   the gateway (default http://127.0.0.1:3000)
  SWITCHYARD_TOKEN                 an admin JWT, or
  ADMIN_USERNAME, ADMIN_PASSWORD   admin credentials to log in with
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === 'health' || command === 'stats') {
    const groups = await fetchProvidersHealth(accessFromEnv(process.env));
    const format = command === 'health' ? formatHealthReport : formatStatsReport;
    process.stdout.write(format(groups, Date.now()));
    return 0;
  }
  if ((MIGRATION_COMMANDS as readonly string[]).includes(command)) {
    process.stdout.write(await runMigrationCommand(command as MigrationCommand));
    return 0;
  }
  process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`switchyard: ${error instanceof CliError ? message : message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
