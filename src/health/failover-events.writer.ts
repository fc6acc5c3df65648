import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FailoverEvent } from './failover-event.entity.js';
import { failoverEventOf, FailoverEventFields } from './failover-event-of.js';
import type { KeyTransition } from '../key-health/key-health.js';
import { describeError } from '../common/describe-error.js';

const FLUSH_INTERVAL_MS = 1000;
const MAX_BUFFERED = 10_000;
const BATCH_SIZE = 200;

/** failover_events in batches: `push` buffers (cheap, on the proxy's path), a timer writes every second. */
@Injectable()
export class FailoverEventsWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(FailoverEventsWriter.name);
  private buffer: FailoverEventFields[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private dropped = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  push(t: KeyTransition): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(failoverEventOf(t));
  }

  /** Resolves once everything pushed so far is written (or given up and logged). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn(`${this.dropped} failover events dropped: the database is not keeping up`);
      this.dropped = 0;
    }
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, BATCH_SIZE);
      try {
        // A transaction of its own: on SQLite it takes its turn rather than joining another.
        await this.dataSource.transaction((manager) =>
          manager.insert(
            FailoverEvent,
            batch.map((fields) => ({ ...fields })),
          ),
        );
        this.buffer.splice(0, batch.length);
      } catch (error) {
        // Kept for the next tick: a database outage delays events, it does not lose them.
        this.logger.warn({ msg: 'failover events not written yet', error: describeError(error) });
        return;
      }
    }
  }
}
