import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { describeError } from '../common/describe-error.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CONFIG_CHANGED } from '../routing/config-changed.event.js';
import { RoutingTable } from '../routing/routing-table.js';
import { AlertDispatcher } from './alerts/alert-dispatcher.service.js';
import { FailoverEventsWriter } from './failover-events.writer.js';
import { gaugedKeys, GroupRoster, RosterGroup } from './group-roster.js';
import { updateGroupGauges } from './health-gauges.js';
import { HealthPersistence } from './health-persistence.service.js';
import { HealthState } from '../key-health/health-state.service.js';
import type { KeyTransition, UpstreamKeyRef } from '../key-health/key-health.js';

/**
 * Where HealthState's transitions go: provider_validations, failover_events, the Prometheus
 * gauges and the alert webhooks. Also restores the persisted state at start and forgets keys
 * deleted from the configuration.
 */
@Injectable()
export class HealthTransitions implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HealthTransitions.name);
  private unsubscribe?: () => void;

  constructor(
    private readonly health: HealthState,
    private readonly persistence: HealthPersistence,
    private readonly events: FailoverEventsWriter,
    private readonly alerts: AlertDispatcher,
    private readonly metrics: MetricsService,
    private readonly routing: RoutingTable,
    private readonly groups: GroupRoster,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.health.onTransition((t) => this.handle(t));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async onApplicationBootstrap(): Promise<void> {
    const groups = await this.groups.list();
    const refs = new Map<number, UpstreamKeyRef>();
    for (const group of groups)
      for (const key of group.keys)
        refs.set(key.id, {
          groupId: group.id,
          groupName: group.name,
          keyId: key.id,
          masked: key.masked,
        });
    this.alerts.markDown(await this.persistence.restore(refs));
    this.refreshGauges(groups);
  }

  /** Keys deleted from the configuration are forgotten everywhere; the gauges follow the change. */
  @OnEvent(CONFIG_CHANGED)
  async onConfigChanged(): Promise<void> {
    try {
      const groups = await this.groups.list();
      const live = new Set(groups.flatMap((group) => group.keys.map((key) => key.id)));
      const gone = this.health.retainOnly(live);
      this.persistence.retainOnly(live);
      this.alerts.forget(gone);
      this.refreshGauges(groups);
    } catch (error) {
      this.logger.error({
        msg: 'health bookkeeping after a configuration change failed',
        error: describeError(error),
      });
    }
  }

  private handle(t: KeyTransition): void {
    if (this.persistence.restoring) return;
    if (t.remote) {
      // The replica that saw it has recorded and alerted it; this one keeps its gauges and knows
      // the key is down, so that whichever replica sees the recovery sends that alert.
      this.alerts.follow(t);
      return this.updateGauges(t);
    }
    this.events.push(t);
    // A 429 cooldown is only an event: nothing persisted, gauged or alerted changes.
    if (t.reason === 'rate_limited') return;
    this.persistence.noteTransition(t);
    this.updateGauges(t);
    // A check's verdict (unhealthy, recovered) carries no status of its own: the check just recorded has it.
    const record = this.persistence.recordOf(t.ref.keyId);
    const fromCheck = this.persistence.checkInProgress === t.ref.keyId;
    this.alerts.consider(
      t,
      fromCheck ? { status: record.lastStatusCode, error: record.lastError } : undefined,
    );
  }

  private updateGauges(t: KeyTransition): void {
    const group = this.routing.current().groups.find((candidate) => candidate.id === t.ref.groupId);
    if (group)
      updateGroupGauges(this.metrics, this.health, {
        ...group,
        enabled: true,
        keys: group.keys.map((key) => ({ ...key, enabled: true })),
      });
  }

  private refreshGauges(groups: readonly RosterGroup[]): void {
    for (const group of groups)
      updateGroupGauges(this.metrics, this.health, { ...group, keys: gaugedKeys(group) });
  }
}
