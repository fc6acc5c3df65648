import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { deleteInBatches } from '../database/delete-in-batches.js';
import { RequestLoggingSettings } from '../stats/request-logging.settings.js';
import {
  FailoverEventDto,
  FailoverEventsPageDto,
  FailoverEventsQueryDto,
} from './dto/failover-events.dto.js';
import { FailoverEvent } from './failover-event.entity.js';
import { FailoverEventsWriter } from './failover-events.writer.js';
import { AdminError } from '../common/admin-error.js';
import { describeError } from '../common/describe-error.js';

/**
 * `GET /admin/failover-events`: newest first, filtered and paginated; events past the request
 * logs' `retentionDays` are deleted daily like the logs themselves.
 */
@Injectable()
export class FailoverEventsService {
  private readonly logger = new Logger(FailoverEventsService.name);

  constructor(
    @InjectRepository(FailoverEvent) private readonly events: Repository<FailoverEvent>,
    private readonly writer: FailoverEventsWriter,
    private readonly retention: RequestLoggingSettings,
  ) {}

  @Cron('27 3 * * *', { name: 'failover-event-retention', waitForCompletion: true })
  async purgeDaily(): Promise<void> {
    await this.purge().catch((error: unknown) =>
      this.logger.error({ msg: 'Failover event retention failed', error: describeError(error) }),
    );
  }

  /** Returns the number of events deleted. */
  async purge(now = new Date()): Promise<number> {
    return deleteInBatches(this.events, { at: LessThan(this.retention.retentionCutoff(now)) });
  }

  async list(query: FailoverEventsQueryDto): Promise<FailoverEventsPageDto> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new AdminError('invalid', 'from must be before to');
    await this.writer.flush(); // what happened a moment ago is listed too
    const qb = this.events.createQueryBuilder('e');
    if (query.groupId !== undefined) qb.andWhere('e.groupId = :groupId', { groupId: query.groupId });
    if (query.keyId !== undefined) qb.andWhere('e.upstreamKeyId = :keyId', { keyId: query.keyId });
    if (query.type !== undefined) qb.andWhere('e.eventType = :type', { type: query.type });
    if (from) qb.andWhere('e.at >= :from', { from });
    if (to) qb.andWhere('e.at < :to', { to });
    const [rows, total] = await qb
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: rows.map(toDto), total, page: query.page, pageSize: query.pageSize };
  }
}

function toDto(row: FailoverEvent): FailoverEventDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    groupId: row.groupId,
    groupName: row.groupName,
    keyId: row.upstreamKeyId,
    keyMasked: row.keyMasked,
    type: row.eventType,
    from: row.fromState,
    to: row.toState,
    reason: row.reason,
    statusCode: row.statusCode,
    error: row.error,
    consecutiveFailures: row.consecutiveFailures,
    nextRetrySeconds: row.nextRetrySeconds,
  };
}
