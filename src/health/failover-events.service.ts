import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  FailoverEventDto,
  FailoverEventsPageDto,
  FailoverEventsQueryDto,
} from './dto/failover-events.dto.js';
import { FailoverEvent } from './failover-event.entity.js';
import { FailoverEventsWriter } from './failover-events.writer.js';

/** `GET /admin/failover-events`: newest first, filtered and paginated. */
@Injectable()
export class FailoverEventsService {
  constructor(
    @InjectRepository(FailoverEvent) private readonly events: Repository<FailoverEvent>,
    private readonly writer: FailoverEventsWriter,
  ) {}

  async list(query: FailoverEventsQueryDto): Promise<FailoverEventsPageDto> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new BadRequestException('from must be before to');
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
