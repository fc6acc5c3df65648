import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { HealthState } from '../key-health/health-state.service.js';
import { PROJECT_ROOT } from '../paths.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RoutingTable } from '../routing/routing-table.js';
import { UsageRecorder } from '../stats/recorder/usage-recorder.service.js';
import { rangeWindow } from '../stats/usage/time-buckets.js';
import { TotalsAccumulator } from '../stats/usage/usage-totals.js';
import { UsageStatsService } from '../stats/usage/usage-stats.service.js';
import { countHealth } from '../key-health/health-levels.js';
import { StatusDto } from './status.dto.js';
import { withinDeadline } from '../common/deadline.js';

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const PING_TIMEOUT_MS = 1500;
const LAG_WINDOW_MS = 60_000;

/** `GET /admin/status`: one picture of the process, the database and the traffic. */
@Injectable()
export class StatusService implements OnModuleInit, OnModuleDestroy {
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private lagWindow?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly usage: UsageStatsService,
    private readonly recorder: UsageRecorder,
    private readonly routing: RoutingTable,
    private readonly health: HealthState,
    private readonly redis: RedisConnection,
  ) {}

  onModuleInit(): void {
    this.loopDelay.enable();
    this.lagWindow = setInterval(() => this.loopDelay.reset(), LAG_WINDOW_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.lagWindow);
    this.loopDelay.disable();
  }

  async status(now = new Date()): Promise<StatusDto> {
    const reachable = await this.ping();
    const { from } = rangeWindow('24h', now);
    const [usage, latency] = reachable
      ? await Promise.all([
          this.usage.usageByDimensions(from, now),
          this.usage.latencyPercentiles(from, now),
        ]).catch(() => [undefined, undefined] as const)
      : [undefined, undefined];
    const totals = usage?.reduce((sum, row) => sum.add(row), new TotalsAccumulator()).totals();
    const health = countHealth(
      this.routing.current().groups,
      (keyId) => this.health.stateOf(keyId)?.condition,
    );
    const memory = process.memoryUsage();
    return {
      version: VERSION,
      uptimeSeconds: Math.round(process.uptime()),
      database: { type: this.config.database.type, reachable },
      redis: {
        configured: this.redis.enabled,
        reachable: this.redis.ready,
        limitsBackend: this.redis.ready ? 'redis' : 'memory', // as the proxy's limits decide it
      },
      groups: health.groups,
      keys: health.keys,
      last24h: {
        requests: totals?.requests ?? null,
        successRate: totals?.successRate ?? null,
        latencyP50Ms: latency?.p50Ms ?? null,
        latencyP95Ms: latency?.p95Ms ?? null,
      },
      usageQueueDepth: this.recorder.backlog,
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      eventLoopLag: this.lag(),
    };
  }

  private async ping(): Promise<boolean> {
    const query = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return (await withinDeadline(query, PING_TIMEOUT_MS)) === true;
  }

  private lag(): StatusDto['eventLoopLag'] {
    const h = this.loopDelay;
    if (h.count === 0) return { meanMs: null, p99Ms: null, maxMs: null };
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return { meanMs: ms(h.mean), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
  }
}
