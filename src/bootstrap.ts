import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app.factory.js';
import { AdminUsersService } from './auth/admin-users.service.js';
import { LifecycleService } from './common/lifecycle.service.js';
import { startupBanner } from './common/startup-banner.js';
import { createLogger } from './common/logging/logger.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { databaseProblem } from './database/database-preflight.js';
import { appliedV8Flags } from './v8-tuning.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const problem = await databaseProblem(config.database);
  if (problem) {
    process.stderr.write(`Switchyard cannot start: ${problem}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  let app: NestExpressApplication;
  try {
    app = await createApp(config, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    // The configuration file's groups and proxy keys are checked once the database is up.
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else logger.fatal({ err: error }, 'Switchyard failed to start');
    logger.flush();
    // Give the async log destination a moment to write the reason before exiting.
    setTimeout(() => process.exit(1), 100);
    return;
  }
  const address = (app.getHttpServer() as Server).address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`Switchyard listening on http://${config.host}:${port} (database: ${config.database.type})`);
  logger.info(`V8 flags: ${appliedV8Flags.join(' ') || "none (V8's defaults)"}`);
  // On stderr, apart from the JSON log lines, so that a person starting it cannot miss it.
  const generatedPassword = app.get(AdminUsersService).takeGeneratedPassword();
  process.stderr.write(
    startupBanner({ host: config.host, port, username: config.admin.username, generatedPassword }),
  );
  exitGracefullyOnSignals(app, config, logger);
}

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** How long streams get to write their closing error event after the grace period. */
const STREAM_CUT_WAIT_MS = 1000;

/**
 * SIGTERM/SIGINT: readiness fails at once, new connections are refused, in-flight requests (and
 * streams) get `SHUTDOWN_GRACE_SECONDS` to finish, then the modules close (queues flush, the
 * database disconnects) and the process exits 0.
 */
function exitGracefullyOnSignals(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    const lifecycle = app.get(LifecycleService);
    const server = app.getHttpServer() as Server;
    lifecycle.beginDrain();
    logger.info(
      { signal, requestsInFlight: lifecycle.requestsInFlight },
      'Shutting down: draining in-flight requests',
    );
    server.close();
    server.closeIdleConnections();
    const drained = await lifecycle.waitForIdle(config.shutdownGraceMs);
    if (!drained) {
      logger.warn(
        { requestsInFlight: lifecycle.requestsInFlight },
        'Grace period over; closing remaining connections',
      );
      // Streams still running end with an error event (and keep their usage row) before the cut.
      lifecycle.endGrace();
      await lifecycle.waitForIdle(STREAM_CUT_WAIT_MS);
    }
    server.closeAllConnections();
    await app.close();
    logger.info('Shutdown complete');
    logger.flush(() => process.exit(0));
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

void main();
