import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HealthState } from '../key-health/health-state.service.js';
import type { KeyTransition } from '../key-health/key-health.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisPubSub } from '../redis/redis-pubsub.service.js';
import { RoutingTable } from '../routing/routing-table.js';
import { KeyHealthReport, parseReport, reportOf } from './key-health-report.js';
import { TrialClaims } from './trial-claims.js';
import { newReplicaId } from '../common/replica-id.js';

export const KEY_HEALTH_CHANNEL = 'key-health';
/** The latest report of every key, for a replica that starts or comes back from a Redis outage. */
export const KEY_HEALTH_HASH = 'key-health';

/**
 * Shares key health between replicas through Redis (only when `REDIS_URL` is set): every breaker
 * opening or closing, invalid mark, 429 cooldown and check verdict seen here is published, and
 * what the others publish is applied to the local HealthState, which the hot path keeps reading
 * from memory. The latest report per key is also kept in a hash, read back whenever the
 * subscription (re)starts, so that nothing published while a replica was away is lost. Half-open
 * trials are coordinated by TrialClaims.
 */
@Injectable()
export class KeyHealthSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeyHealthSync.name);
  readonly replicaId = newReplicaId();
  private readonly seenAt = new Map<number, number>();
  private claims?: TrialClaims;
  private unsubscribe?: () => void;

  constructor(
    private readonly health: HealthState,
    private readonly redis: RedisConnection,
    private readonly pubsub: RedisPubSub,
    private readonly routing: RoutingTable,
  ) {}

  onApplicationBootstrap(): void {
    const client = this.redis.client;
    if (!client) return;
    this.claims = new TrialClaims(this.health, client, (name) => this.redis.key(name), this.replicaId);
    this.unsubscribe = this.health.onTransition((t) => this.onLocalTransition(t));
    this.pubsub.subscribe(KEY_HEALTH_CHANNEL, (text) => this.receive(text));
    this.pubsub.onSubscribed(() => void this.catchUp());
    // Breakers restored open from the database wait for a claimed trial like any other.
    for (const view of this.health.states()) this.claims.follow(view.ref.keyId);
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.claims?.stop();
  }

  private onLocalTransition(t: KeyTransition): void {
    if (t.remote) return;
    this.claims?.follow(t.ref.keyId);
    const report = reportOf(t, this.health.sharedStateOf(t.ref.keyId), this.replicaId);
    if (report === undefined) return;
    this.seenAt.set(t.ref.keyId, report.at);
    void this.publish(report);
  }

  private async publish(report: KeyHealthReport): Promise<void> {
    const text = JSON.stringify(report);
    try {
      await this.redis
        .client!.pipeline()
        .hset(this.redis.key(KEY_HEALTH_HASH), String(report.ref.keyId), text)
        .publish(this.redis.key(KEY_HEALTH_CHANNEL), text)
        .exec();
    } catch {
      // Redis is down (the connection logs it once); the hash is read again when it returns.
    }
  }

  private receive(text: string): void {
    const report = parseReport(text);
    if (report === undefined) return this.logger.warn('Ignored a malformed key health report');
    this.apply(report);
  }

  /** Reads every key's latest report: what was published while this replica was not listening. */
  private async catchUp(): Promise<void> {
    let stored: Record<string, string>;
    try {
      stored = await this.redis.client!.hgetall(this.redis.key(KEY_HEALTH_HASH));
    } catch {
      return;
    }
    for (const text of Object.values(stored)) {
      const report = parseReport(text);
      if (report) this.apply(report);
    }
  }

  private apply(report: KeyHealthReport): void {
    const keyId = report.ref.keyId;
    if (report.from === this.replicaId || report.at < (this.seenAt.get(keyId) ?? 0)) return;
    if (!this.isRouted(report)) return;
    this.seenAt.set(keyId, report.at);
    this.health.adopt(report.ref, report.state, report.reason);
    this.claims?.follow(keyId);
    this.logger.debug(
      `key ${report.ref.masked} of ${report.ref.groupName}: ${report.reason} on another replica`,
    );
  }

  /** Reports about keys this replica does not route (deleted, disabled, not yet loaded) are dropped. */
  private isRouted(report: KeyHealthReport): boolean {
    const group = this.routing.current().groupsByName.get(report.ref.groupName);
    return group?.id === report.ref.groupId && group.keys.some((key) => key.id === report.ref.keyId);
  }
}
