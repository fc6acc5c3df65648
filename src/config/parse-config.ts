import { dirname, resolve } from 'node:path';
import { BALANCE_POLICIES, DB_TYPES, LOG_LEVELS, ParsedConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { readConfigFile } from './config-file.js';
import { NO_DECLARATIONS } from './declared-config.js';
import { parseTrustProxy } from './trust-proxy.js';
import { parseByteSize, parseDurationSeconds } from './units.js';

type Env = Record<string, string | undefined>;

/**
 * Collects every problem instead of stopping at the first, so one failed start-up shows them all.
 */
class EnvReader {
  readonly problems: string[] = [];

  constructor(
    private readonly env: Env,
    private readonly names?: Set<string>,
  ) {}

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    this.names?.add(name);
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name, fallback);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${text}")`);
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.string(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    this.problems.push(`${name} must be true or false (got "${text}")`);
    return fallback;
  }

  convert<T>(name: string, fallback: string, convert: (text: string) => T | undefined, expected: string): T {
    const text = this.string(name, fallback);
    const value = convert(text);
    if (value !== undefined) return value;
    this.problems.push(`${name} must be ${expected} (got "${text}")`);
    return convert(fallback) as T;
  }
}

/**
 * Environment variables (API.md §5) over the optional `CONFIG_FILE`, validated into one object.
 * Throws `ConfigError` naming every invalid setting.
 */
export function parseConfig(processEnv: Env, cwd = process.cwd(), names?: Set<string>): ParsedConfig {
  const file = processEnv.CONFIG_FILE
    ? readConfigFile(resolve(cwd, processEnv.CONFIG_FILE), processEnv)
    : { env: {}, declared: NO_DECLARATIONS };
  const env: Env = { ...file.env, ...withoutBlanks(processEnv) };
  const read = new EnvReader(env, names);

  const nodeEnv = read.string('NODE_ENV', 'development');
  const dbType = read.oneOf('DB_TYPE', DB_TYPES, 'sqlite');
  const dbPath = resolve(cwd, read.string('DB_PATH', './data/switchyard.db'));
  const databaseUrl = read.string('DATABASE_URL');
  if (dbType === 'mysql') {
    if (!databaseUrl) read.problems.push('DATABASE_URL is required when DB_TYPE is mysql');
    else if (!/^mysql:\/\/[^/]+\/[^/?]+/i.test(databaseUrl))
      read.problems.push('DATABASE_URL must look like mysql://user:password@host:3306/database');
  }

  const redisUrl = read.string('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/i.test(redisUrl))
    read.problems.push('REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)');

  const config: ParsedConfig = {
    nodeEnv,
    production: nodeEnv === 'production',
    host: read.string('HOST', '0.0.0.0'),
    port: read.integer('PORT', 3000, 0, 65535),
    dataDir: resolve(cwd, read.string('DATA_DIR') ?? dirname(dbPath)),
    database: { type: dbType, path: dbPath, url: databaseUrl },
    admin: { username: read.string('ADMIN_USERNAME', 'admin'), password: read.string('ADMIN_PASSWORD') },
    jwt: {
      secret: read.string('JWT_SECRET'),
      expiresInSeconds: read.convert(
        'JWT_EXPIRES_IN',
        '12h',
        parseDurationSeconds,
        'a duration such as 3600, 30m, 12h or 7d',
      ),
    },
    encryptionKeyText: read.string('ENCRYPTION_KEY'),
    redisUrl,
    redisKeyPrefix: read.string('REDIS_KEY_PREFIX', 'switchyard:'),
    replicasExpected: read.integer('REPLICAS_EXPECTED', 1, 1, 1000),
    global: {
      timeoutSeconds: read.integer('GLOBAL_TIMEOUT', 60, 1, 600),
      retries: read.integer('GLOBAL_RETRIES', 3, 0, 10),
      balancePolicy: read.oneOf('BALANCE_POLICY', BALANCE_POLICIES, 'round_robin'),
    },
    requestLogging: {
      enabled: read.boolean('REQUEST_LOGGING_ENABLED', true),
      detailed: read.boolean('REQUEST_LOGGING_DETAILED', false),
      maxContentLength: read.integer('REQUEST_LOGGING_MAX_CONTENT_LENGTH', 1000, 0, 20_000),
    },
    bodyLimitBytes: read.convert('BODY_LIMIT', '10mb', parseByteSize, 'a size such as 512kb or 10mb'),
    bodyReadTimeoutMs: read.integer('BODY_READ_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
    headersTimeoutMs: read.integer('HEADERS_TIMEOUT_SECONDS', 20, 1, 600) * 1000,
    trustProxy: read.convert(
      'TRUST_PROXY',
      'loopback',
      parseTrustProxy,
      'false, a hop count, or comma-separated addresses/CIDRs (loopback, linklocal, uniquelocal allowed)',
    ),
    upstreamMaxResponseBytes: read.convert(
      'UPSTREAM_MAX_RESPONSE_BYTES',
      '32mb',
      parseByteSize,
      'a size such as 512kb or 32mb',
    ),
    streamMaxDurationMs: read.integer('STREAM_MAX_DURATION_SECONDS', 0, 0, 86_400) * 1000,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    metricsToken: read.string('METRICS_TOKEN'),
    corsOrigins: (read.string('CORS_ORIGINS') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    upstreamDenyPrivate: read.boolean('UPSTREAM_DENY_PRIVATE', false),
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_SECONDS', 25, 0, 3600) * 1000,
    breaker: {
      failureThreshold: read.integer('BREAKER_FAILURE_THRESHOLD', 3, 1, 100),
      failureWindowMs: read.integer('BREAKER_FAILURE_WINDOW_SECONDS', 60, 1, 3600) * 1000,
      baseBackoffMs: read.integer('BREAKER_BASE_BACKOFF_MS', 60_000, 10, 3_600_000),
      maxBackoffMs: read.integer('BREAKER_MAX_BACKOFF_MS', 600_000, 10, 86_400_000),
      jitter: read.integer('BREAKER_JITTER_PERCENT', 20, 0, 90) / 100,
      successThreshold: read.integer('BREAKER_SUCCESS_THRESHOLD', 2, 1, 100),
      halfOpenMaxConcurrent: read.integer('BREAKER_HALF_OPEN_MAX_CONCURRENT', 1, 1, 100),
      rateLimitCooldownMs: read.integer('RATE_LIMIT_COOLDOWN_MS', 2000, 0, 600_000),
      maxRateLimitCooldownMs: read.integer('RATE_LIMIT_MAX_COOLDOWN_MS', 60_000, 0, 3_600_000),
      maxRetryAfterWaitMs: read.integer('RETRY_AFTER_MAX_WAIT_MS', 2000, 0, 60_000),
    },
    declared: file.declared,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** Every environment variable the configuration reads, so deployment files can be checked against it. */
export function configVariableNames(): string[] {
  const names = new Set<string>(['CONFIG_FILE']);
  parseConfig({}, '/', names);
  return [...names].sort();
}

function withoutBlanks(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}
