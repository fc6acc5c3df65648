import type { DeclaredConfig } from './declared-config.js';
import type { TrustProxy } from './trust-proxy.js';

export const DB_TYPES = ['sqlite', 'mysql'] as const;
export const BALANCE_POLICIES = ['round_robin', 'random', 'least_used', 'weighted', 'latency'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type DbType = (typeof DB_TYPES)[number];
export type BalancePolicy = (typeof BALANCE_POLICIES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DatabaseConfig {
  readonly type: DbType;
  /** SQLite file; only for `sqlite`. */
  readonly path: string;
  /** MySQL/MariaDB connection URL; only for `mysql`. */
  readonly url?: string;
}

/**
 * The whole validated configuration, parsed once at boot (see `parseConfig`) and injected by
 * class token. Secrets are resolved before the object is built (see `resolveSecrets`).
 */
export class AppConfig {
  readonly nodeEnv: string;
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly admin: { readonly username: string; readonly password?: string };
  readonly jwt: { readonly secret: string; readonly expiresInSeconds: number };
  /** 32 raw bytes for AES-256-GCM. */
  readonly encryptionKey: Buffer;
  readonly redisUrl?: string;
  /** Prepended to every Redis key and channel, so several gateways can share one Redis. */
  readonly redisKeyPrefix: string;
  /** How many replicas share the limits: while Redis is unreachable each enforces 1/N of them. */
  readonly replicasExpected: number;
  readonly global: {
    readonly timeoutSeconds: number;
    readonly retries: number;
    readonly balancePolicy: BalancePolicy;
  };
  readonly requestLogging: {
    readonly enabled: boolean;
    readonly detailed: boolean;
    readonly maxContentLength: number;
  };
  readonly bodyLimitBytes: number;
  /** How long a client may take to send a request body once its headers arrived. */
  readonly bodyReadTimeoutMs: number;
  /** How long a client may take to send a request's headers. */
  readonly headersTimeoutMs: number;
  /** Whose `X-Forwarded-For` is believed when taking a client's IP. */
  readonly trustProxy: TrustProxy;
  /** Largest upstream body read whole (a non-stream answer, an error body); beyond it the attempt fails (502). */
  readonly upstreamMaxResponseBytes: number;
  /** Longest a stream may run in all (0: no limit); cutting one never counts against the key. */
  readonly streamMaxDurationMs: number;
  readonly logLevel: LogLevel;
  readonly metricsToken?: string;
  readonly corsOrigins: readonly string[];
  readonly upstreamDenyPrivate: boolean;
  /** How long in-flight requests may run after SIGTERM before the process closes anyway. */
  readonly shutdownGraceMs: number;
  readonly breaker: BreakerConfig;
  /** Groups and proxy keys declared in the configuration file, secrets resolved: applied at start. */
  readonly declared: DeclaredConfig;
}

/** Circuit breaker and cooldown parameters (ROUTING.md; seed 003 defaults). */
export interface BreakerConfig {
  readonly failureThreshold: number;
  readonly failureWindowMs: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** ±fraction applied to every back-off, e.g. 0.2. */
  readonly jitter: number;
  readonly successThreshold: number;
  readonly halfOpenMaxConcurrent: number;
  /** Cooldown after a 429 without `Retry-After`. */
  readonly rateLimitCooldownMs: number;
  readonly maxRateLimitCooldownMs: number;
  /** How long a request may wait for a `Retry-After` when every candidate is rate limited. */
  readonly maxRetryAfterWaitMs: number;
}

/** AppConfig before the secrets are resolved: the secrets may still be missing. */
export type ParsedConfig = Omit<AppConfig, 'jwt' | 'encryptionKey'> & {
  readonly jwt: { readonly secret?: string; readonly expiresInSeconds: number };
  readonly encryptionKeyText?: string;
};
