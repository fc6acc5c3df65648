import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { RequestLog } from '../entities/request-log.entity.js';
import { RequestLoggingSettings } from '../request-logging.settings.js';

const DAY_MS = 86_400_000;
const BATCH = 5000;
// 5,000 × 2,000 = 10 M rows per run at most; a bigger backlog continues the next day.
const MAX_BATCHES_PER_RUN = 2000;

/**
 * Deletes request log rows past `retentionDays`, daily, in bounded batches (ids first, then a
 * delete by id: `DELETE … LIMIT` is not portable) so no statement holds locks for long. Hourly
 * aggregates are kept: they are the permanent statistics.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectRepository(RequestLog) private readonly logs: Repository<RequestLog>,
    private readonly settings: RequestLoggingSettings,
  ) {}

  @Cron('17 3 * * *', { name: 'request-log-retention', waitForCompletion: true })
  async purgeDaily(): Promise<void> {
    try {
      await this.purge();
    } catch (error) {
      this.logger.error(`Request log retention failed: ${(error as Error).message}`);
    }
  }

  /** Returns the number of rows deleted. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.settings.current().retentionDays * DAY_MS);
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const ids = (
        await this.logs.find({
          select: { id: true },
          where: { createdAt: LessThan(cutoff) },
          order: { id: 'ASC' },
          take: BATCH,
        })
      ).map((row) => row.id);
      if (ids.length === 0) break;
      await this.logs.delete(ids);
      deleted += ids.length;
      if (ids.length < BATCH) break;
    }
    if (deleted > 0)
      this.logger.log(`Deleted ${deleted} request log rows older than ${cutoff.toISOString()}`);
    return deleted;
  }
}
