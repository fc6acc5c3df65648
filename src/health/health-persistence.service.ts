import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { CheckRecord, EMPTY_RECORD } from './check-bookkeeping.js';
import { HealthState } from '../key-health/health-state.service.js';
import type { KeyTransition, UpstreamKeyRef } from '../key-health/key-health.js';
import { ProviderValidation } from './provider-validation.entity.js';
import { fromValidationRow, isCleanBreaker, toValidationRow } from './validation-row.js';
import { describeError } from '../common/describe-error.js';

const FLUSH_INTERVAL_MS = 1000;

/**
 * provider_validations: every key's check record in memory, written (coalesced per key, at most
 * once a second) after transitions and check results, and read back at start into HealthState,
 * so that a restart forgets neither an open breaker nor an invalid or unhealthy key.
 */
@Injectable()
export class HealthPersistence implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(HealthPersistence.name);
  private readonly records = new Map<number, CheckRecord>();
  private readonly refs = new Map<number, UpstreamKeyRef>();
  private readonly dirty = new Set<number>();
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  /** True while restoring: the transitions HealthState emits then are history, not news. */
  restoring = false;

  constructor(
    @InjectRepository(ProviderValidation) private readonly rows: Repository<ProviderValidation>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthState,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  recordOf(keyId: number): CheckRecord {
    return this.records.get(keyId) ?? EMPTY_RECORD;
  }

  /** The key whose check result is being applied (set synchronously around the HealthState calls). */
  checkInProgress?: number;

  /**
   * A check result: stores the new record (written with the next flush), then runs `verdict`, the
   * HealthState calls the result leads to, so their transitions know they come from a check.
   */
  applyCheck(ref: UpstreamKeyRef, record: CheckRecord, verdict: () => void): void {
    this.records.set(ref.keyId, record);
    this.touch(ref);
    this.checkInProgress = ref.keyId;
    try {
      verdict();
    } finally {
      this.checkInProgress = undefined;
    }
  }

  /**
   * A transition carrying an error (a proxied request's) becomes the key's last error and last
   * failure; a breaker that closes again clears the error (the failure stays as history).
   */
  noteTransition(t: KeyTransition): void {
    const record = this.recordOf(t.ref.keyId);
    if (t.status !== undefined || t.message !== undefined) {
      const error = t.message ?? `HTTP ${t.status}`;
      this.records.set(t.ref.keyId, {
        ...record,
        lastError: error,
        lastFailure: error,
        lastStatusCode: t.status,
        lastFailureAt: t.at,
      });
    } else if (t.to === 'closed' && record.lastError !== undefined) {
      this.records.set(t.ref.keyId, { ...record, lastError: undefined });
    }
    this.touch(t.ref);
  }

  /**
   * Loads every stored row whose key still exists (`refs`) into memory and HealthState. Returns
   * the ids of keys that come back out of rotation (open breaker, invalid, unhealthy).
   */
  async restore(refs: ReadonlyMap<number, UpstreamKeyRef>): Promise<number[]> {
    const rows = await this.rows.find();
    const now = this.health.now();
    const down: number[] = [];
    this.restoring = true;
    try {
      for (const row of rows) {
        const ref = refs.get(row.upstreamKeyId);
        if (!ref) continue;
        const { record, breaker } = fromValidationRow(row);
        this.records.set(ref.keyId, record);
        this.refs.set(ref.keyId, ref);
        if (!isCleanBreaker(breaker)) this.health.restore(ref, breaker);
        if (row.invalidStatus !== null)
          this.health.markInvalid(ref, row.invalidStatus, row.lastError ?? undefined);
        if (record.nextRetryAt !== undefined && record.nextRetryAt > now)
          this.health.markUnhealthy(ref, record.nextRetryAt);
        const condition = this.health.stateOf(ref.keyId)?.condition;
        if (condition === 'open' || condition === 'invalid' || condition === 'unhealthy')
          down.push(ref.keyId);
      }
    } finally {
      this.restoring = false;
    }
    if (down.length > 0) this.logger.log(`Restored ${down.length} upstream key(s) out of rotation`);
    return down;
  }

  /** Forgets keys deleted from the configuration (their rows go by cascade). */
  retainOnly(live: ReadonlySet<number>): void {
    for (const id of [...this.refs.keys(), ...this.records.keys()]) {
      if (live.has(id)) continue;
      this.refs.delete(id);
      this.records.delete(id);
      this.dirty.delete(id);
    }
  }

  /** Writes every pending row; resolves once they are in the database (or failed and logged). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeDirty());
    return this.writing;
  }

  private touch(ref: UpstreamKeyRef): void {
    this.refs.set(ref.keyId, ref);
    this.dirty.add(ref.keyId);
  }

  private async writeDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    try {
      // One transaction: on SQLite's single shared connection it takes its turn instead of
      // slipping into (and being rolled back with) an admin change.
      await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(ProviderValidation);
        for (const id of ids) await this.writeRow(repo, id);
      });
    } catch (error) {
      for (const id of ids) if (this.refs.has(id)) this.dirty.add(id);
      this.logger.warn({
        msg: 'provider_validations not written yet; retrying',
        error: describeError(error),
      });
    }
  }

  private async writeRow(repo: Repository<ProviderValidation>, id: number): Promise<void> {
    const ref = this.refs.get(id);
    if (!ref) return;
    const row = toValidationRow(ref, this.recordOf(id), this.health.stateOf(id));
    try {
      await repo.upsert(row, { conflictPaths: ['upstreamKeyId'], skipUpdateIfNoValuesChanged: false });
    } catch (error) {
      if (!/foreign key/i.test(describeError(error))) throw error;
      // The key was deleted meanwhile: its health goes with it.
      this.refs.delete(id);
      this.records.delete(id);
    }
  }
}
