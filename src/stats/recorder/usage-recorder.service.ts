import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactSecrets } from '../../common/logging/redaction.js';
import { isTransientDatabaseError } from '../../database/transient-db-error.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { RequestLoggingSettings } from '../request-logging.settings.js';
import { UsageRecord } from '../usage-record.js';
import { cutContent } from './request-log-row.js';
import { USAGE_RECORDER_OPTIONS, type UsageRecorderOptions } from './usage-recorder.options.js';
import { UsageQueue } from './usage-queue.js';
import { UsageWriter } from './usage-writer.service.js';
import { describeError } from '../../common/describe-error.js';

/**
 * Takes one record per proxied request without ever waiting on the database: `push` only
 * enqueues; a single writer drains the queue in batches, retries with back-off through an
 * outage (nothing lost up to the queue's capacity) and flushes before the database closes.
 */
@Injectable()
export class UsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageRecorder.name);
  private readonly queue: UsageQueue<UsageRecord>;
  /** Taken from the queue, not yet committed; retried first. */
  private pending?: UsageRecord[];
  private draining?: Promise<void>;
  private drainScheduled = false;
  private retryAt = 0;
  private failures = 0;
  private refusals = 0;
  private droppedSinceLog = 0;
  private lastDropLogAt = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly writer: UsageWriter,
    private readonly settings: RequestLoggingSettings,
    private readonly metrics: MetricsService,
    @Inject(USAGE_RECORDER_OPTIONS) private readonly options: UsageRecorderOptions,
  ) {
    this.queue = new UsageQueue(options.queueCapacity);
  }

  /** Records waiting for the database (queued plus the batch in flight). */
  get backlog(): number {
    return this.queue.size + (this.pending?.length ?? 0);
  }

  onModuleInit(): void {
    this.metrics.trackUsageQueue(() => this.backlog);
    this.timer = setInterval(() => this.tick(), this.options.flushIntervalMs).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const complete = await this.flush(this.options.shutdownFlushTimeoutMs);
    this.closed = true;
    if (!complete)
      this.logger.error(`Shutdown: ${this.backlog} usage records could not be written and are lost`);
  }

  /** The hot path: synchronous, O(1), never throws. */
  push(record: UsageRecord): void {
    try {
      this.metrics.observeRequest(record);
      if (this.queue.push(this.bounded(record))) this.dropped(1, 'queue_full');
      if (this.queue.size >= this.options.batchSize) this.scheduleDrain();
    } catch (error) {
      this.logger.error({ msg: 'Usage record not accepted', error: describeError(error) });
    }
  }

  /** Writes everything queued; resolves false if `timeoutMs` ran out first (database down). */
  async flush(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    this.retryAt = 0;
    while (this.backlog > 0) {
      const now = Date.now();
      if (now >= deadline) return false;
      if (now < this.retryAt) await sleep(Math.min(this.retryAt, deadline) - now);
      else await this.drain(true);
    }
    return true;
  }

  private tick(): void {
    this.logDrops();
    if (this.backlog > 0 && Date.now() >= this.retryAt) void this.drain(true);
  }

  // Off the caller's stack: a full batch is built and written after the proxy's response.
  private scheduleDrain(): void {
    if (this.drainScheduled || this.draining || this.closed || Date.now() < this.retryAt) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      void this.drain(false);
    });
  }

  /** One writer at a time; `force` also writes a partial batch. */
  private drain(force: boolean): Promise<void> {
    this.draining ??= this.writeBatches(force)
      .catch((error: unknown) =>
        this.logger.error({ msg: 'Usage writer stopped unexpectedly', error: describeError(error) }),
      )
      .finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async writeBatches(force: boolean): Promise<void> {
    // `force` writes one partial batch; after it only full batches. Forcing every round would,
    // under steady traffic, write a small batch per round trip instead of batching (measured:
    // ~30 records a transaction at 2,000 req/s instead of 500).
    let partialAllowed = force;
    while (
      this.pending ||
      this.queue.size >= this.options.batchSize ||
      (partialAllowed && this.queue.size > 0)
    ) {
      if (Date.now() < this.retryAt) return;
      partialAllowed = false;
      const batch = (this.pending ??= this.queue.take(this.options.batchSize));
      try {
        await this.writer.write(batch, this.settings.current());
      } catch (error) {
        await this.failed(batch, error);
        continue;
      }
      this.pending = undefined;
      if (this.failures > 0)
        this.logger.log(
          `Usage writes recovered after ${this.failures} failed attempts; ${this.backlog} records still queued`,
        );
      this.failures = 0;
      this.refusals = 0;
    }
  }

  private async failed(batch: UsageRecord[], error: unknown): Promise<void> {
    this.failures += 1;
    const reason = redactSecrets(describeError(error)).slice(0, 300);
    // A lock held elsewhere (SQLITE_BUSY) or a lost or stalled connection is no refusal, however
    // long it lasts: the batch waits, with the rest of the queue, until the database takes it.
    if (!isTransientDatabaseError(error) && (await this.writer.reachable())) this.refusals += 1;
    else this.refusals = 0;
    if (this.refusals >= this.options.maxRefusals) {
      // The database answers but will not take this batch: retrying forever would stall the queue.
      this.logger.error({
        msg: 'The database refused a batch of usage records; dropped',
        records: batch.length,
        refusals: this.refusals,
        reason,
      });
      this.pending = undefined;
      this.dropped(batch.length, 'refused');
      this.failures = 0;
      this.refusals = 0;
      return;
    }
    const delay = Math.min(
      this.options.maxBackoffMs,
      this.options.minBackoffMs * 2 ** Math.min(this.failures - 1, 20),
    );
    this.retryAt = Date.now() + delay;
    if (this.failures === 1 || this.failures % 10 === 0) {
      this.logger.warn({
        msg: 'Usage write failed; records kept, retrying',
        attempt: this.failures,
        reason,
        backlog: this.backlog,
        retryInMs: delay,
      });
    }
  }

  private dropped(count: number, reason: 'queue_full' | 'refused'): void {
    this.metrics.countUsageDropped(count, reason);
    if (reason === 'queue_full') this.droppedSinceLog += count;
  }

  private logDrops(): void {
    const now = Date.now();
    if (this.droppedSinceLog === 0 || now - this.lastDropLogAt < this.options.dropLogIntervalMs) return;
    this.logger.warn(
      `Usage queue full (${this.options.queueCapacity} records): dropped the ${this.droppedSinceLog} oldest`,
    );
    this.droppedSinceLog = 0;
    this.lastDropLogAt = now;
  }

  // Bodies are only cut here (a slice); redaction waits for the writer, off the hot path.
  private bounded(record: UsageRecord): UsageRecord {
    if (record.requestBody === undefined && record.responseBody === undefined) return record;
    const { detailedContent, maxContentLength } = this.settings.current();
    if (!detailedContent) return { ...record, requestBody: undefined, responseBody: undefined };
    return {
      ...record,
      requestBody: cutContent(record.requestBody, maxContentLength),
      responseBody: cutContent(record.responseBody, maxContentLength),
    };
  }
}
