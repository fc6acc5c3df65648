import { Injectable, Logger } from '@nestjs/common';
import { describeError } from '../common/describe-error.js';
import { toNumber } from '../stats/db-values.js';
import { rangeWindow } from '../stats/usage/time-buckets.js';
import { DimensionUsage, UsageStatsService } from '../stats/usage/usage-stats.service.js';
import { ProviderHealthDto } from './dto/provider-health.dto.js';
import { GroupRoster, RosterGroup } from './group-roster.js';
import { HealthPersistence } from './health-persistence.service.js';
import { HealthState } from '../key-health/health-state.service.js';
import { groupRow, Traffic } from './provider-health-rows.js';

interface TrafficIndex {
  readonly groups: Map<number, Traffic>;
  readonly keys: Map<number, Traffic>;
}

/** `GET /api/providers/health[/:id]`: every group (disabled ones too) with its keys' health and 24 h of traffic. */
@Injectable()
export class ProviderHealthService {
  private readonly logger = new Logger(ProviderHealthService.name);

  constructor(
    private readonly groups: GroupRoster,
    private readonly health: HealthState,
    private readonly persistence: HealthPersistence,
    private readonly usage: UsageStatsService,
  ) {}

  async list(): Promise<ProviderHealthDto[]> {
    const [groups, traffic] = await Promise.all([this.groups.list(), this.traffic()]);
    return groups.map((group) => this.row(group, traffic));
  }

  /** 404 for an unknown id. */
  async get(id: number): Promise<ProviderHealthDto> {
    const [group, traffic] = await Promise.all([this.groups.get(id), this.traffic()]);
    return this.row(group, traffic);
  }

  private row(group: RosterGroup, traffic: TrafficIndex): ProviderHealthDto {
    const now = this.health.now();
    return groupRow(
      {
        id: group.id,
        name: group.name,
        enabled: group.enabled,
        traffic: traffic.groups.get(group.id),
        keys: group.keys.map((key) => ({
          id: key.id,
          masked: key.masked,
          enabled: key.enabled && key.usable,
          view: this.health.stateOf(key.id, now),
          availability: this.health.availability(key.id, now),
          record: this.persistence.recordOf(key.id),
          traffic: traffic.keys.get(key.id),
        })),
      },
      now,
    );
  }

  // Proxied traffic from the hourly aggregates; what the recorder still queues shows a second later.
  private async traffic(): Promise<TrafficIndex> {
    const { from, to } = rangeWindow('24h', new Date());
    try {
      return trafficIndex(await this.usage.usageByDimensions(from, to));
    } catch (error) {
      this.logger.warn({ msg: '24 h traffic unavailable', error: describeError(error) });
      return { groups: new Map(), keys: new Map() };
    }
  }
}

export function trafficIndex(rows: readonly DimensionUsage[]): TrafficIndex {
  const index: TrafficIndex = { groups: new Map(), keys: new Map() };
  const add = (map: Map<number, Traffic>, id: number | null, row: DimensionUsage) => {
    if (id === null) return;
    const current = map.get(id) ?? { requests: 0, successes: 0 };
    map.set(id, {
      requests: current.requests + toNumber(row.requests),
      successes: current.successes + toNumber(row.successes),
    });
  };
  for (const row of rows) {
    add(index.groups, row.groupId, row);
    add(index.keys, row.upstreamKeyId, row);
  }
  return index;
}
