import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { describeError } from '../common/describe-error.js';
import { CONFIG_CHANGED } from './config-changed.event.js';
import { buildRoutingSnapshot } from './routing-snapshot-builder.js';
import type { RoutingSnapshot } from './routing-snapshot.js';
import { ROUTING_SOURCE, type RoutingSource } from './routing-source.js';

/**
 * The in-memory routing view: built at boot, rebuilt after every committed admin change
 * (`config.changed`), swapped atomically. The hot path only ever calls `current()`.
 */
@Injectable()
export class RoutingTable implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingTable.name);
  private snapshot: RoutingSnapshot = buildRoutingSnapshot({ version: 0, groups: [], proxyKeys: [] });
  private running?: Promise<void>;
  private queued?: Promise<void>;
  /** False until the first build from the database has finished (readiness). */
  loaded = false;

  constructor(@Inject(ROUTING_SOURCE) private readonly source: RoutingSource) {}

  current(): RoutingSnapshot {
    return this.snapshot;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
  }

  @OnEvent(CONFIG_CHANGED)
  async onConfigChanged(): Promise<void> {
    try {
      await this.rebuild();
    } catch (error) {
      this.logger.error({
        msg: 'Routing table rebuild failed; still serving the previous version',
        version: this.snapshot.version,
        error: describeError(error),
      });
    }
  }

  /**
   * Resolves once a build that started after this call has been installed. Calls arriving while
   * a build runs share one follow-up build, so a slow, older read never overwrites a newer one.
   */
  rebuild(): Promise<void> {
    if (this.queued) return this.queued;
    const next: Promise<void> = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.build();
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.queued = next;
    return next;
  }

  private async build(): Promise<void> {
    const { groups, proxyKeys } = await this.source.load();
    this.snapshot = buildRoutingSnapshot({ version: this.snapshot.version + 1, groups, proxyKeys });
    this.loaded = true;
    this.logger.debug(
      `Routing table version ${this.snapshot.version}: ${this.snapshot.groups.length} groups, ${this.snapshot.proxyKeysByHash.size} proxy keys`,
    );
  }
}
