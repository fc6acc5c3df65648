import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import type { DeclaredEntry } from '../config/declared-config.js';
import { GroupDto } from '../providers/dto/group.dto.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { ProviderGroupsService } from '../providers/provider-groups.service.js';
import { UpstreamKeyCipher } from '../providers/upstream-key-cipher.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';
import { CONFIG_FILE_ACTOR, AppliedOutcome, reportPlan } from './declared-outcome.js';
import { DeclaredRecords } from './declared-records.js';
import { fingerprint, groupStateOfBody, groupStateOfRow, planChange, State } from './declared-state.js';

/** Brings one declared group to its declaration through the admin API's service. */
@Injectable()
export class DeclaredGroupsApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly groups: ProviderGroupsService,
    private readonly cipher: UpstreamKeyCipher,
    private readonly records: DeclaredRecords,
  ) {}

  async apply(entry: DeclaredEntry, body: GroupDto): Promise<AppliedOutcome> {
    const record = await this.records.find('group', entry.name);
    // By name; failing that, the group the file last applied under this name (renamed through the API).
    const row =
      (await this.findByName(entry.name)) ??
      (record ? await this.dataSource.manager.findOneBy(ProviderGroup, { id: record.entityId }) : null);
    const hashOf = (state: State) => fingerprint(this.config.encryptionKey, state);
    const plan = planChange({
      wanted: groupStateOfBody(body),
      current: row ? await this.stateOf(row) : undefined,
      appliedHash: record?.appliedHash,
      hashOf,
    });
    const note = reportPlan(`Group "${entry.name}"`, plan);
    let id = row?.id;
    if (plan.action === 'create') id = (await this.groups.create(body, CONFIG_FILE_ACTOR)).id;
    if (plan.action === 'update') await this.groups.replace(id as number, body, CONFIG_FILE_ACTOR, note);
    if (plan.action !== 'none' || plan.remember) {
      const saved = await this.dataSource.manager.findOneByOrFail(ProviderGroup, { id: id as number });
      await this.records.remember('group', entry.name, saved.id, hashOf(await this.stateOf(saved)));
    }
    return plan.action;
  }

  private findByName(name: string): Promise<ProviderGroup | null> {
    return this.dataSource.manager
      .createQueryBuilder(ProviderGroup, 'g')
      .where('LOWER(g.group_name) = LOWER(:name)', { name })
      .getOne();
  }

  private async stateOf(group: ProviderGroup): Promise<State> {
    const keys = await this.dataSource.manager.findBy(UpstreamKey, { groupId: group.id });
    return groupStateOfRow(
      group,
      this.cipher.openHeaders(group),
      keys.map((key) => this.cipher.open(key)),
    );
  }
}
