import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { fromDbDateTime, toNumber } from '../db-values.js';
import { ProviderUsageStat } from '../entities/provider-usage-stat.entity.js';
import { RequestLog } from '../entities/request-log.entity.js';
import { percentileIndex } from './percentile.js';
import { TimeseriesQueryDto } from './stats-query.dto.js';
import {
  LatencyPercentilesDto,
  ProxyKeyUsageSummaryDto,
  StatsOverviewDto,
  TimeseriesDto,
} from './stats-response.dto.js';
import {
  bucketStart,
  foldSeries,
  rangeWindow,
  SeriesDimension,
  SeriesRow,
  StatsRange,
  TimeBucket,
} from './time-buckets.js';
import { breakdown, RawSums, SUM_SELECTS, TotalsAccumulator } from './usage-totals.js';
import { AdminError } from '../../common/admin-error.js';

/** Usage over a window per (group, upstream key, model, proxy key); null ids mean "none". */
export interface DimensionUsage extends RawSums {
  readonly groupId: number | null;
  readonly groupName: string | null;
  readonly upstreamKeyId: number | null;
  readonly model: string;
  readonly proxyKeyId: number | null;
  readonly proxyKeyName: string | null;
}

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS: Record<TimeBucket, number> = { hour: 31, day: 366 };
const GROUP_COLUMNS: Record<SeriesDimension, string[]> = {
  model: ['model'],
  group: ['groupId'],
  key: ['groupId', 'upstreamKeyId'],
  proxyKey: ['proxyKeyId'],
};

/** Read side of the usage tables: totals and breakdowns from the hourly aggregates, percentiles from the logs. */
@Injectable()
export class UsageStatsService {
  constructor(
    @InjectRepository(ProviderUsageStat) private readonly stats: Repository<ProviderUsageStat>,
    @InjectRepository(RequestLog) private readonly logs: Repository<RequestLog>,
  ) {}

  async overview(range: StatsRange, now = new Date()): Promise<StatsOverviewDto> {
    const { from, to } = rangeWindow(range, now);
    const [rows, latency] = await Promise.all([
      this.usageByDimensions(from, to),
      this.latencyPercentiles(from, to),
    ]);
    return {
      range,
      from: from.toISOString(),
      to: to.toISOString(),
      totals: rows.reduce((totals, row) => totals.add(row), new TotalsAccumulator()).totals(),
      latency,
      byModel: breakdown(
        rows,
        (r) => r.model,
        (r) => ({ model: r.model }),
      ),
      byGroup: breakdown(
        rows,
        (r) => String(r.groupId),
        (r) => ({ groupId: r.groupId, groupName: r.groupName }),
      ),
      byKey: breakdown(
        rows,
        (r) => `${r.groupId}:${r.upstreamKeyId}`,
        (r) => ({ groupId: r.groupId, groupName: r.groupName, upstreamKeyId: r.upstreamKeyId }),
      ),
      byProxyKey: breakdown(
        rows,
        (r) => String(r.proxyKeyId),
        (r) => ({ proxyKeyId: r.proxyKeyId, proxyKeyName: r.proxyKeyName }),
      ),
    };
  }

  /** Also what the health API's 24-hour success rates and request counts are built from. */
  async usageByDimensions(from: Date, to: Date): Promise<DimensionUsage[]> {
    const qb = this.window(from, to)
      .addSelect('s.groupId', 'groupId')
      .addSelect('s.upstreamKeyId', 'upstreamKeyId')
      .addSelect('s.model', 'model')
      .addSelect('s.proxyKeyId', 'proxyKeyId')
      .addSelect('MAX(s.groupName)', 'groupName')
      .addSelect('MAX(s.proxyKeyName)', 'proxyKeyName')
      .groupBy('s.groupId')
      .addGroupBy('s.upstreamKeyId')
      .addGroupBy('s.model')
      .addGroupBy('s.proxyKeyId');
    const raw = await qb.getRawMany<Record<string, unknown>>();
    return raw.map((row) => ({
      ...row,
      groupId: idOrNull(row.groupId),
      upstreamKeyId: idOrNull(row.upstreamKeyId),
      proxyKeyId: idOrNull(row.proxyKeyId),
      model: String(row.model),
      groupName: (row.groupName as string | null) ?? null,
      proxyKeyName: (row.proxyKeyName as string | null) ?? null,
    }));
  }

  /** Lifetime total tokens per proxy key (budgets start from this at boot, then count in memory). */
  async tokensByProxyKey(): Promise<Map<number, number>> {
    const raw = await this.stats
      .createQueryBuilder('s')
      .select('s.proxyKeyId', 'proxyKeyId')
      .addSelect('SUM(s.totalTokens)', 'totalTokens')
      .where('s.proxyKeyId <> 0')
      .groupBy('s.proxyKeyId')
      .getRawMany<{ proxyKeyId: unknown; totalTokens: unknown }>();
    return new Map(raw.map((row) => [toNumber(row.proxyKeyId), toNumber(row.totalTokens)]));
  }

  /** Per proxy key: lifetime tokens (hourly aggregates) and the last logged request. */
  async proxyKeyUsage(): Promise<ProxyKeyUsageSummaryDto[]> {
    const [tokens, lastSeen] = await Promise.all([
      this.tokensByProxyKey(),
      this.logs
        .createQueryBuilder('log')
        .select('log.proxyKeyId', 'proxyKeyId')
        .addSelect('MAX(log.createdAt)', 'lastUsedAt')
        .where('log.proxyKeyId IS NOT NULL')
        .groupBy('log.proxyKeyId')
        .getRawMany<{ proxyKeyId: unknown; lastUsedAt: unknown }>(),
    ]);
    const last = new Map(lastSeen.map((row) => [toNumber(row.proxyKeyId), fromDbDateTime(row.lastUsedAt)]));
    return [...new Set([...tokens.keys(), ...last.keys()])].map((proxyKeyId) => ({
      proxyKeyId,
      tokensUsed: tokens.get(proxyKeyId) ?? 0,
      lastUsedAt: last.get(proxyKeyId)?.toISOString() ?? null,
    }));
  }

  /** Nearest-rank p50/p95 of request latency, by seeking to the rank (no engine-specific functions). */
  async latencyPercentiles(from: Date, to: Date): Promise<LatencyPercentilesDto> {
    const inWindow = () =>
      this.logs
        .createQueryBuilder('log')
        .where('log.createdAt >= :from AND log.createdAt < :to', { from, to });
    const count = await inWindow().getCount();
    const at = async (p: number): Promise<number | null> => {
      const index = percentileIndex(count, p);
      if (index === undefined) return null;
      const row = await inWindow()
        .select('log.latencyMs', 'latencyMs')
        .orderBy('log.latencyMs', 'ASC')
        .offset(index)
        .limit(1)
        .getRawOne<{ latencyMs: unknown }>();
      return row ? toNumber(row.latencyMs) : null;
    };
    return { p50Ms: await at(0.5), p95Ms: await at(0.95) };
  }

  async timeseries(query: TimeseriesQueryDto, now = new Date()): Promise<TimeseriesDto> {
    const to = query.to ? new Date(query.to) : now;
    const from = bucketStart(
      query.from ? new Date(query.from) : new Date(to.getTime() - DAY_MS),
      query.bucket,
    );
    if (from >= to) throw new AdminError('invalid', 'from must be before to');
    const maxDays = MAX_WINDOW_DAYS[query.bucket];
    if (to.getTime() - from.getTime() > maxDays * DAY_MS)
      throw new AdminError('invalid', `A ${query.bucket} series spans at most ${maxDays} days`);

    const qb = this.window(from, to).addSelect('s.hourStart', 'hourStart').groupBy('s.hourStart');
    for (const column of query.groupBy ? GROUP_COLUMNS[query.groupBy] : [])
      qb.addSelect(`s.${column}`, column).addGroupBy(`s.${column}`);
    if (query.groupBy === 'group' || query.groupBy === 'key') qb.addSelect('MAX(s.groupName)', 'groupName');
    if (query.groupBy === 'proxyKey') qb.addSelect('MAX(s.proxyKeyName)', 'proxyKeyName');
    const raw = await qb.getRawMany<Record<string, unknown>>();
    const rows: SeriesRow[] = raw.map((row) => ({
      ...row,
      hourStart: fromDbDateTime(row.hourStart),
      model: row.model === undefined ? undefined : String(row.model),
      groupId: row.groupId === undefined ? undefined : idOrNull(row.groupId),
      upstreamKeyId: row.upstreamKeyId === undefined ? undefined : idOrNull(row.upstreamKeyId),
      groupName: (row.groupName as string | null | undefined) ?? null,
      proxyKeyId: row.proxyKeyId === undefined ? undefined : idOrNull(row.proxyKeyId),
      proxyKeyName: (row.proxyKeyName as string | null | undefined) ?? null,
    }));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: query.bucket,
      groupBy: query.groupBy,
      series: foldSeries(rows, query.bucket, query.groupBy),
    };
  }

  private window(from: Date, to: Date): SelectQueryBuilder<ProviderUsageStat> {
    const qb = this.stats
      .createQueryBuilder('s')
      .select([])
      .where('s.hourStart >= :from AND s.hourStart < :to', { from, to });
    for (const [expression, alias] of SUM_SELECTS) qb.addSelect(expression, alias);
    return qb;
  }
}

function idOrNull(value: unknown): number | null {
  const id = toNumber(value);
  return id === 0 ? null : id;
}
