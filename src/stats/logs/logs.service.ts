import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestLog } from '../entities/request-log.entity.js';
import { LogsQueryDto } from './logs-query.dto.js';
import { RequestLogDetailDto, RequestLogPageDto } from './request-log.dto.js';
import { parseStatusFilter } from './status-filter.js';
import { AdminError } from '../../common/admin-error.js';

// Every column but the bodies, which only the single-row view returns.
const LIST_COLUMNS = [
  'id',
  'createdAt',
  'requestId',
  'endpoint',
  'proxyKeyId',
  'proxyKeyName',
  'model',
  'upstreamModel',
  'groupId',
  'groupName',
  'upstreamKeyId',
  'pinned',
  'stream',
  'status',
  'errorType',
  'errorMessage',
  'attempts',
  'latencyMs',
  'ttfbMs',
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'clientIp',
  'userAgent',
].map((column) => `log.${column}`);

@Injectable()
export class LogsService {
  constructor(@InjectRepository(RequestLog) private readonly logs: Repository<RequestLog>) {}

  async list(query: LogsQueryDto): Promise<RequestLogPageDto> {
    const qb = this.logs.createQueryBuilder('log').select(LIST_COLUMNS);
    if (query.from) qb.andWhere('log.createdAt >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('log.createdAt < :to', { to: new Date(query.to) });
    if (query.requestId !== undefined)
      qb.andWhere('log.requestId = :requestId', { requestId: query.requestId });
    if (query.model !== undefined) qb.andWhere('log.model = :model', { model: query.model });
    if (query.groupId !== undefined) qb.andWhere('log.groupId = :groupId', { groupId: query.groupId });
    if (query.proxyKeyId !== undefined)
      qb.andWhere('log.proxyKeyId = :proxyKeyId', { proxyKeyId: query.proxyKeyId });
    if (query.pinned !== undefined) qb.andWhere('log.pinned = :pinned', { pinned: query.pinned === 'true' });
    const status = query.status === undefined ? undefined : parseStatusFilter(query.status);
    if (status)
      qb.andWhere('log.status BETWEEN :minStatus AND :maxStatus', {
        minStatus: status.min,
        maxStatus: status.max,
      });
    const [items, total] = await qb
      .orderBy('log.createdAt', 'DESC')
      .addOrderBy('log.id', 'DESC')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .getManyAndCount();
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: number): Promise<RequestLogDetailDto> {
    const row = await this.logs.findOneBy({ id });
    if (!row) throw new AdminError('not_found', `Request log ${id} not found`);
    return row;
  }
}
