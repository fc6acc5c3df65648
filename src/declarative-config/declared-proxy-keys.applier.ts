import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import type { DeclaredEntry } from '../config/declared-config.js';
import { AdminError } from '../common/admin-error.js';
import { ProxyKeyDto } from '../proxy-keys/dto/proxy-key.dto.js';
import { hashProxyKey } from '../proxy-keys/proxy-key-token.js';
import { ProxyKey } from '../proxy-keys/proxy-key.entity.js';
import { ProxyKeysService } from '../proxy-keys/proxy-keys.service.js';
import { CONFIG_FILE_ACTOR, AppliedOutcome, reportPlan } from './declared-outcome.js';
import { DeclaredRecords } from './declared-records.js';
import { fingerprint, planChange, proxyKeyStateOfBody, State } from './declared-state.js';

/** Brings one declared proxy key to its declaration (its fields and its key) through the admin API's service. */
@Injectable()
export class DeclaredProxyKeysApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly proxyKeys: ProxyKeysService,
    private readonly records: DeclaredRecords,
  ) {}

  async apply(entry: DeclaredEntry, body: ProxyKeyDto, secret: string): Promise<AppliedOutcome> {
    const record = await this.records.find('proxy_key', entry.name);
    const row = await this.findRow(entry.name, record?.entityId);
    const keyHash = hashProxyKey(secret);
    await this.assertKeyFree(keyHash, row?.id);
    const hashOf = (state: State) => fingerprint(this.config.encryptionKey, state);
    const current = row ? stateOf(row) : undefined;
    const plan = planChange({
      wanted: proxyKeyStateOfBody(body, keyHash),
      current,
      appliedHash: record?.appliedHash,
      hashOf,
    });
    const note = reportPlan(`Proxy key "${entry.name}"`, plan);
    let id = row?.id;
    if (plan.action === 'create') id = (await this.proxyKeys.create(body, CONFIG_FILE_ACTOR, secret)).id;
    if (plan.action === 'update') {
      await this.proxyKeys.replace(id as number, body, CONFIG_FILE_ACTOR, note);
      if (current?.keyHash !== keyHash)
        await this.proxyKeys.rotate(id as number, CONFIG_FILE_ACTOR, secret, note);
    }
    if (plan.action !== 'none' || plan.remember) {
      const saved = await this.dataSource.manager.findOneByOrFail(ProxyKey, { id: id as number });
      await this.records.remember('proxy_key', entry.name, saved.id, hashOf(stateOf(saved)));
    }
    return plan.action;
  }

  // Proxy key names need not be unique: several of one name are told apart by the one the file applied.
  private async findRow(name: string, appliedId: number | undefined): Promise<ProxyKey | null> {
    const named = await this.dataSource.manager.find(ProxyKey, { where: { name }, order: { id: 'ASC' } });
    if (named.length > 1) {
      const applied = named.find((key) => key.id === appliedId);
      if (applied) return applied;
      throw new AdminError(
        'conflict',
        `${named.length} proxy keys are named "${name}" (ids ${named.map((key) => key.id).join(', ')}); rename or delete all but one through the admin API`,
      );
    }
    if (named.length === 1) return named[0];
    return appliedId === undefined ? null : this.dataSource.manager.findOneBy(ProxyKey, { id: appliedId });
  }

  private async assertKeyFree(keyHash: string, ownId: number | undefined): Promise<void> {
    const holder = await this.dataSource.manager.findOneBy(ProxyKey, { keyHash });
    if (holder && holder.id !== ownId)
      throw new AdminError(
        'conflict',
        `Key is already the key of another proxy key (#${holder.id} "${holder.name}")`,
      );
  }
}

function stateOf(row: ProxyKey): State {
  return proxyKeyStateOfBody(row, row.keyHash);
}
