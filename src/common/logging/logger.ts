import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from '../../config/app-config.js';
import { REDACTED_PATHS } from './redaction.js';

/** The process-wide structured logger: JSON lines, credentials redacted. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchyard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
