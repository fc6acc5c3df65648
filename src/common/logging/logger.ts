import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from '../../config/app-config.js';
import { REDACTED_PATHS } from './redaction.js';

const BUFFER_BYTES = 4096;
const FLUSH_INTERVAL_MS = 500;

/**
 * The process-wide structured logger: JSON lines, credentials redacted. Lines are written
 * asynchronously in 4 KB batches (flushed at least every 500 ms and on shutdown), so a line per
 * proxied request costs no system call of its own.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { service: 'switchyard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES }),
  );
  if (!destination) setInterval(() => logger.flush(), FLUSH_INTERVAL_MS).unref();
  return logger;
}
