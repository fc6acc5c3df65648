import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { CONFIG_CHANGED, ConfigChangedEvent } from '../routing/config-changed.event.js';
import { RedisPubSub } from '../redis/redis-pubsub.service.js';
import { Setting } from '../settings/setting.entity.js';
import { readStoredSettings } from '../settings/settings.module.js';
import { SettingsService } from '../settings/settings.service.js';
import { ConfigChangeSubscriber } from './config-change.subscriber.js';
import { ConfigVersion } from './config-version.entity.js';
import { newReplicaId } from '../common/replica-id.js';
import { withinDeadline } from '../common/deadline.js';
import { describeError } from '../common/describe-error.js';

export const CONFIG_CHANNEL = 'config-changed';

/** How often a replica looks at `config_version`: the only signal without Redis, a backstop with it. */
export const CONFIG_POLL_MS = 1000;
export const CONFIG_BACKSTOP_POLL_MS = 15_000;
// How long shutdown waits for a poll or reload under way before the database closes.
const STOP_WAIT_MS = 2000;

interface ChangeMessage {
  readonly from: string;
}

/**
 * Keeps replicas' in-memory configuration (routing table, settings, health-check schedule) in
 * step. Every configuration change bumps `config_version` in its own transaction (see
 * ConfigChangeSubscriber); the replica that made it announces it on Redis, and the others reload
 * at once. Without Redis (or should a message be lost) each replica polls the version on MySQL.
 * A replica ignores its own changes: it has applied them already.
 */
@Injectable()
export class ConfigSync implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConfigSync.name);
  readonly replicaId = newReplicaId();
  private readonly subscriber = new ConfigChangeSubscriber(this.replicaId, (version) =>
    this.committed(version),
  );
  private lastSeen = 0;
  /** Versions made by this replica's own changes and not yet looked past. */
  private readonly own = new Set<number>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private polling?: Promise<void>;
  private again = false;
  private pollFailing = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ConfigVersion) private readonly versions: Repository<ConfigVersion>,
    @InjectRepository(Setting) private readonly settingRows: Repository<Setting>,
    private readonly settings: SettingsService,
    private readonly pubsub: RedisPubSub,
    private readonly events: EventEmitter2,
  ) {}

  /** Before any module's bootstrap loads the configuration, so no change falls in between. */
  async onModuleInit(): Promise<void> {
    this.dataSource.subscribers.push(this.subscriber);
    this.lastSeen = (await this.readVersion()).version;
  }

  onApplicationBootstrap(): void {
    if (this.pubsub.enabled) {
      this.pubsub.subscribe(CONFIG_CHANNEL, (message) => this.onMessage(message));
      // Messages published while this replica was cut off from Redis are lost: compare versions.
      this.pubsub.onSubscribed(() => void this.check());
    }
    if (this.dataSource.options.type === 'mysql') this.schedulePoll();
  }

  /** Waits (briefly) for a poll or reload under way: the database closes after this. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const at = this.dataSource.subscribers.indexOf(this.subscriber);
    if (at >= 0) this.dataSource.subscribers.splice(at, 1);
    await withinDeadline(Promise.allSettled([this.polling, this.running]), STOP_WAIT_MS);
  }

  /** Compares `config_version` with what this replica has loaded, and reloads when another replica changed it. */
  async check(): Promise<void> {
    try {
      const row = await this.readVersion();
      if (this.pollFailing) this.logger.log('Configuration version readable again');
      this.pollFailing = false;
      if (row.version === this.lastSeen) return;
      if (this.onlyOwnChangesUpTo(row.version)) {
        this.lastSeen = row.version; // this replica applied them when it made them
        return;
      }
      await this.reload();
    } catch (error) {
      if (!this.pollFailing)
        this.logger.warn({ msg: 'Cannot read the configuration version', error: describeError(error) });
      this.pollFailing = true;
    }
  }

  /** Reloads everything; calls during a reload share one follow-up reload. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.reloadOnce().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  private async reloadOnce(): Promise<void> {
    try {
      // The version first: whatever is read after it is at least that new.
      this.lastSeen = (await this.readVersion()).version;
      for (const v of this.own) if (v <= this.lastSeen) this.own.delete(v);
      await this.settings.reloadStored(await readStoredSettings(this.settingRows));
      await this.events.emitAsync(CONFIG_CHANGED, { entity: 'remote', id: 0 } satisfies ConfigChangedEvent);
      this.logger.log(`Configuration reloaded after a change on another replica (version ${this.lastSeen})`);
    } catch (error) {
      this.lastSeen = -1; // try again at the next look
      this.logger.error({ msg: 'Reloading the configuration failed', error: describeError(error) });
    }
  }

  private onlyOwnChangesUpTo(version: number): boolean {
    for (let v = this.lastSeen + 1; v <= version; v += 1) if (!this.own.has(v)) return false;
    for (const v of this.own) if (v <= version) this.own.delete(v);
    return version > this.lastSeen;
  }

  private committed(version?: number): void {
    if (version !== undefined) this.own.add(version);
    void this.announce();
  }

  private onMessage(text: string): void {
    let message: Partial<ChangeMessage>;
    try {
      message = JSON.parse(text) as Partial<ChangeMessage>;
    } catch {
      return;
    }
    if (message.from === this.replicaId) return;
    void this.reload();
  }

  private async announce(): Promise<void> {
    if (!this.pubsub.enabled) return;
    const message: ChangeMessage = { from: this.replicaId };
    // Not delivered: the other replicas' backstop poll finds the new version.
    await this.pubsub.publish(CONFIG_CHANNEL, JSON.stringify(message));
  }

  private schedulePoll(): void {
    const every = this.pubsub.enabled ? CONFIG_BACKSTOP_POLL_MS : CONFIG_POLL_MS;
    this.timer = setTimeout(() => {
      this.polling = this.check().finally(() => {
        this.polling = undefined;
        if (!this.stopped) this.schedulePoll();
      });
    }, every);
    this.timer.unref();
  }

  private async readVersion(): Promise<ConfigVersion> {
    const row = await this.versions.findOneBy({ id: 1 });
    if (!row) throw new Error('config_version has no row 1');
    return row;
  }
}
