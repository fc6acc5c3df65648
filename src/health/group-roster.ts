import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { UpstreamKeyCipher } from '../providers/upstream-key-cipher.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';
import { AdminError } from '../common/admin-error.js';

/** A key as the health views see it; never its secret. */
export interface RosterKey {
  readonly id: number;
  readonly masked: string;
  readonly enabled: boolean;
  /** Its stored secret decrypts with the current ENCRYPTION_KEY. */
  readonly usable: boolean;
}

/** A group as the health views see it: every group, disabled ones too, with every key. */
export interface RosterGroup {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  readonly models: readonly string[];
  readonly keys: readonly RosterKey[];
}

/**
 * Every configured group and key, read from the tables (the routing snapshot holds only what can
 * take traffic). Ordered as the admin API lists them: by priority, then id; keys by id.
 */
@Injectable()
export class GroupRoster {
  constructor(
    @InjectRepository(ProviderGroup) private readonly groups: Repository<ProviderGroup>,
    @InjectRepository(UpstreamKey) private readonly keys: Repository<UpstreamKey>,
    private readonly cipher: UpstreamKeyCipher,
  ) {}

  async list(): Promise<RosterGroup[]> {
    const [groups, keys] = await Promise.all([
      this.groups.find({ order: { priority: 'ASC', id: 'ASC' } }),
      this.keys.find({ order: { id: 'ASC' } }),
    ]);
    return groups.map((group) =>
      this.entry(
        group,
        keys.filter((key) => key.groupId === group.id),
      ),
    );
  }

  /** 404 for an unknown id. */
  async get(id: number): Promise<RosterGroup> {
    const group = await this.groups.findOneBy({ id });
    if (!group) throw new AdminError('not_found', `Group ${id} not found`);
    return this.entry(group, await this.keys.find({ where: { groupId: id }, order: { id: 'ASC' } }));
  }

  private entry(group: ProviderGroup, keys: readonly UpstreamKey[]): RosterGroup {
    return {
      id: group.id,
      name: group.groupName,
      enabled: group.enabled,
      models: group.models,
      keys: keys.map((key) => ({
        id: key.id,
        masked: key.hint,
        enabled: key.enabled,
        usable: this.cipher.open(key) !== undefined,
      })),
    };
  }
}

/** The keys that can take traffic once their group is enabled: enabled and decryptable. */
export function gaugedKeys(group: RosterGroup): { id: number; masked: string; enabled: boolean }[] {
  return group.keys.map((key) => ({ id: key.id, masked: key.masked, enabled: key.enabled && key.usable }));
}
