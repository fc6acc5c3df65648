#!/usr/bin/env node
import { accessFromEnv, CliError, fetchProvidersHealth } from './gateway-client.js';
import { formatHealthReport } from './health-format.js';

// `npm run cli -- health` (or `node dist/cli/main.js health`): the running gateway's key health,
// read from its health API. Environment: SWITCHYARD_URL (default http://127.0.0.1:3000) and
// SWITCHYARD_TOKEN, or ADMIN_USERNAME / ADMIN_PASSWORD.

const USAGE = `Usage: switchyard <command>

Commands:
  health    each provider group and upstream key: Healthy / Recovering / Unhealthy

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
  if (command !== 'health') {
    process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  const groups = await fetchProvidersHealth(accessFromEnv(process.env));
  process.stdout.write(formatHealthReport(groups, Date.now()));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`switchyard: ${error instanceof CliError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
