import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { deleteInBatches } from '../../database/delete-in-batches.js';
import { RequestLog } from '../entities/request-log.entity.js';
import { RequestLoggingSettings } from '../request-logging.settings.js';
import { describeError } from '../../common/describe-error.js';

/**
 * Deletes request log rows past `retentionDays`, daily, in bounded batches. Hourly aggregates are
 * kept: they are the permanent statistics.
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
      this.logger.error({ msg: 'Request log retention failed', error: describeError(error) });
    }
  }

  /** Returns the number of rows deleted. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = this.settings.retentionCutoff(now);
    const deleted = await deleteInBatches(this.logs, { createdAt: LessThan(cutoff) });
    if (deleted > 0)
      this.logger.log(`Deleted ${deleted} request log rows older than ${cutoff.toISOString()}`);
    return deleted;
  }
}
