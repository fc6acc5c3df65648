export const USAGE_RECORDER_OPTIONS = Symbol('USAGE_RECORDER_OPTIONS');

export interface UsageRecorderOptions {
  /** Records kept in memory while the database is slow or down; past it the oldest are dropped. */
  readonly queueCapacity: number;
  /** Records per transaction; a full batch is written at once, a partial one on the next tick. */
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  /** Retry delays after a failed write, doubling from min to max. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How long shutdown waits for the queue to reach the database. */
  readonly shutdownFlushTimeoutMs: number;
  /** Failed attempts, with the database answering, before a batch is given up as refused. */
  readonly maxRefusals: number;
  /** At most one "records dropped" log line per interval. */
  readonly dropLogIntervalMs: number;
}

export const DEFAULT_USAGE_RECORDER_OPTIONS: UsageRecorderOptions = {
  queueCapacity: 50_000,
  batchSize: 500,
  flushIntervalMs: 1000,
  minBackoffMs: 250,
  maxBackoffMs: 5000,
  shutdownFlushTimeoutMs: 10_000,
  maxRefusals: 3,
  dropLogIntervalMs: 10_000,
};
