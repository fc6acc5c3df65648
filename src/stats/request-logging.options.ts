import { AppConfig } from '../config/app-config.js';
import { AdminError } from '../common/admin-error.js';

/** The `requestLogging` runtime settings section (API.md §2, seed 004's RequestLogging). */
export interface RequestLoggingOptions {
  /** Request log rows; the hourly aggregates are kept either way. */
  readonly enabled: boolean;
  /** Keep request and response bodies (redacted, cut at `maxContentLength`). */
  readonly detailedContent: boolean;
  readonly maxContentLength: number;
  /** Log rows older than this are purged daily. */
  readonly retentionDays: number;
}

export const REQUEST_LOGGING_SECTION = 'requestLogging';

// A body cut at this many UTF-16 units stays under 64 KB of UTF-8, which a MySQL TEXT holds.
export const MAX_CONTENT_LENGTH = 20_000;
export const MAX_RETENTION_DAYS = 3650;
const DEFAULT_RETENTION_DAYS = 30;

export function requestLoggingDefaults(config: AppConfig): RequestLoggingOptions {
  return {
    enabled: config.requestLogging.enabled,
    detailedContent: config.requestLogging.detailed,
    maxContentLength: Math.min(config.requestLogging.maxContentLength, MAX_CONTENT_LENGTH),
    retentionDays: DEFAULT_RETENTION_DAYS,
  };
}

/** Checks a whole section; every problem is named in one 400. */
export function validateRequestLogging(value: unknown): RequestLoggingOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AdminError('invalid', 'requestLogging must be an object');
  }
  const input = value as Record<string, unknown>;
  const problems: string[] = [];
  const allowed = ['enabled', 'detailedContent', 'maxContentLength', 'retentionDays'];
  const unknown = Object.keys(input).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) problems.push(`requestLogging has unknown fields: ${unknown.join(', ')}`);

  const boolean = (name: string): boolean => {
    if (typeof input[name] === 'boolean') return input[name];
    problems.push(`requestLogging.${name} must be a boolean`);
    return false;
  };
  const integer = (name: string, min: number, max: number): number => {
    const field = input[name];
    if (typeof field === 'number' && Number.isInteger(field) && field >= min && field <= max) return field;
    problems.push(`requestLogging.${name} must be an integer from ${min} to ${max}`);
    return min;
  };
  const result: RequestLoggingOptions = {
    enabled: boolean('enabled'),
    detailedContent: boolean('detailedContent'),
    maxContentLength: integer('maxContentLength', 0, MAX_CONTENT_LENGTH),
    retentionDays: integer('retentionDays', 1, MAX_RETENTION_DAYS),
  };
  if (problems.length > 0) throw new AdminError('invalid', problems.join('; '));
  return result;
}
